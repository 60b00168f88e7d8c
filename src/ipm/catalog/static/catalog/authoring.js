// The authoring pages' small behaviours. No inline scripts: the Content-Security-Policy forbids them. Every page
// works without this file; it only adds previews, marks drawn with a finger or a mouse, and confirmations.
(() => {
  "use strict";

  // --- Preview of a chosen picture, before it is uploaded ------------------------------------------------------
  // <input type="file" data-image-preview> inside an .ipm-upload that holds an <img data-preview>.
  document.querySelectorAll("input[type=file][data-image-preview]").forEach((input) => {
    const host = input.closest(".ipm-upload");
    const img = host && host.querySelector("img[data-preview]");
    if (!img) return;
    let objectUrl = null;
    const original = img.getAttribute("src") || "";
    input.addEventListener("change", () => {
      if (objectUrl) URL.revokeObjectURL(objectUrl);
      objectUrl = null;
      const file = input.files && input.files[0];
      if (!file) {
        img.src = original;
        showPreview(img, Boolean(original));
      } else {
        objectUrl = URL.createObjectURL(file);
        img.src = objectUrl;
        showPreview(img, true);
      }
      host.dispatchEvent(new CustomEvent("ipm:picture-changed", { detail: { chosen: Boolean(file) } }));
    });
    // A format the browser cannot draw (HEIC in most browsers): no preview, the server still accepts it.
    img.addEventListener("error", () => { if (objectUrl) showPreview(img, false); });
  });

  function showPreview(img, visible) {
    const frame = img.closest("[data-mark-canvas]") || img;
    frame.classList.toggle("d-none", !visible);
    const empty = img.closest(".ipm-upload")?.querySelector("[data-no-photo]");
    if (empty) empty.hidden = visible;
  }

  // --- A checkbox that hides the field it makes irrelevant ----------------------------------------------------
  // <input type="checkbox" data-toggles="id_of_other_field">: checked hides the other field (its value is kept).
  document.querySelectorAll("input[type=checkbox][data-toggles]").forEach((box) => {
    const target = document.getElementById(box.dataset.toggles);
    const block = target && target.closest(".mb-3");
    if (!block) return;
    const sync = () => { block.hidden = box.checked; };
    box.addEventListener("change", sync);
    sync();
  });

  // --- What a multiple choice list holds, spelled out under it (the list shows a few options at a time) --------
  document.querySelectorAll("select[multiple][data-chosen-label]").forEach((select) => {
    const summary = document.createElement("div");
    summary.className = "form-text ipm-chosen";
    summary.setAttribute("aria-live", "polite");
    select.insertAdjacentElement("afterend", summary);
    const sync = () => {
      const names = Array.from(select.selectedOptions, (option) => option.textContent.trim());
      summary.textContent = names.length ? `${select.dataset.chosenLabel} ${names.join(", ")}` : select.dataset.noneLabel;
    };
    select.addEventListener("change", sync);
    sync();
  });

  // --- Confirmation before a destructive action -----------------------------------------------------------------
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });

  // --- Marks: rectangles drawn on a clue photo, kept as JSON fractions in a hidden input ------------------------
  // <div data-mark-editor> holds <div data-mark-canvas><img data-preview></div>, <input type=hidden data-marks>,
  // and the tools (count, undo, clear). Marks are {x, y, w, h} in fractions of the picture, as the server keeps them.
  const MAX_MARKS = 10;
  const MIN_SIZE = 0.01;

  document.querySelectorAll("[data-mark-editor]").forEach((editor) => {
    const canvas = editor.querySelector("[data-mark-canvas]");
    const img = canvas && canvas.querySelector("img");
    const input = editor.querySelector("input[data-marks]");
    const tools = editor.querySelector("[data-mark-tools]");
    if (!canvas || !img || !input || !tools) return;
    const count = tools.querySelector("[data-mark-count]");
    let marks = [];
    try { marks = JSON.parse(input.value || "[]"); } catch { marks = []; }
    if (!Array.isArray(marks)) marks = [];
    const initial = marks.slice();

    const round = (value) => Math.round(value * 10000) / 10000;
    const clamp = (value) => Math.min(1, Math.max(0, value));

    function box(mark, className) {
      const div = document.createElement("div");
      div.className = className;
      div.style.left = `${mark.x * 100}%`;
      div.style.top = `${mark.y * 100}%`;
      div.style.width = `${mark.w * 100}%`;
      div.style.height = `${mark.h * 100}%`;
      return div;
    }

    function render() {
      canvas.querySelectorAll(".ipm-mark").forEach((div) => div.remove());
      marks.forEach((mark) => canvas.appendChild(box(mark, "ipm-mark")));
      input.value = JSON.stringify(marks);
      const n = marks.length;
      count.textContent = n === 0 ? count.dataset.templateNone
        : n === 1 ? count.dataset.templateOne : count.dataset.templateMany.replace("{n}", n);
      tools.hidden = canvas.classList.contains("d-none");
    }

    function point(event) {
      const rect = img.getBoundingClientRect();
      return { x: clamp((event.clientX - rect.left) / rect.width), y: clamp((event.clientY - rect.top) / rect.height) };
    }

    let start = null;
    let drawing = null;
    // With a finger, drawing must be switched on first (the "Draw" button), or scrolling the page over the photo
    // would draw rectangles; a mouse draws at once.
    const drawButton = tools.querySelector("[data-marks-draw]");
    const touchDrawing = () => drawButton.getAttribute("aria-pressed") === "true";
    drawButton.addEventListener("click", () => {
      const on = !touchDrawing();
      drawButton.setAttribute("aria-pressed", String(on));
      drawButton.classList.toggle("active", on);
      canvas.classList.toggle("ipm-drawing", on);
    });
    canvas.addEventListener("pointerdown", (event) => {
      if (marks.length >= MAX_MARKS || event.button > 0) return;
      if (event.pointerType !== "mouse" && !touchDrawing()) return;
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      start = point(event);
      drawing = box({ x: start.x, y: start.y, w: 0, h: 0 }, "ipm-mark ipm-mark-drawing");
      canvas.appendChild(drawing);
    });
    canvas.addEventListener("pointermove", (event) => {
      if (!start) return;
      const now = point(event);
      drawing.style.left = `${Math.min(start.x, now.x) * 100}%`;
      drawing.style.top = `${Math.min(start.y, now.y) * 100}%`;
      drawing.style.width = `${Math.abs(now.x - start.x) * 100}%`;
      drawing.style.height = `${Math.abs(now.y - start.y) * 100}%`;
    });
    const finish = (event) => {
      if (!start) return;
      const now = point(event);
      const mark = {
        x: round(Math.min(start.x, now.x)), y: round(Math.min(start.y, now.y)),
        w: round(Math.abs(now.x - start.x)), h: round(Math.abs(now.y - start.y)),
      };
      mark.w = Math.min(mark.w, round(1 - mark.x));
      mark.h = Math.min(mark.h, round(1 - mark.y));
      start = null;
      drawing.remove();
      drawing = null;
      if (mark.w >= MIN_SIZE && mark.h >= MIN_SIZE) marks.push(mark);
      render();
    };
    canvas.addEventListener("pointerup", finish);
    canvas.addEventListener("pointercancel", () => { if (drawing) drawing.remove(); start = drawing = null; });

    tools.querySelector("[data-marks-undo]").addEventListener("click", () => { marks.pop(); render(); });
    tools.querySelector("[data-marks-clear]").addEventListener("click", () => { marks = []; render(); });
    // Rectangles drawn on one photo mean nothing on another: a new photo starts without marks (and going back to
    // the stored photo brings its marks back).
    editor.addEventListener("ipm:picture-changed", (event) => {
      marks = event.detail.chosen ? [] : initial.slice();
      render();
    });
    render();
  });
})();
