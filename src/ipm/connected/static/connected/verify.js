// The "Connected verification" panel: each service's card asks for its verdict as soon as the page is shown, then
// shows the answer in place (the server renders it: connected/_verdict.html). "Try again" asks once more.
(function () {
  "use strict";
  if (window.ipmConnectedPanel) return; // the panel may be on a page several times (one per scanned code)
  window.ipmConnectedPanel = true;

  function ask(form) {
    var slot = form.querySelector("[data-connected-result]");
    if (form.dataset.busy === "1") return;
    form.dataset.busy = "1";
    if (slot) {
      slot.setAttribute("aria-busy", "true");
      var retry = slot.querySelector("[data-connected-retry]");
      if (retry) { retry.disabled = true; retry.insertAdjacentHTML("afterbegin", '<span class="spinner-border spinner-border-sm" aria-hidden="true"></span> '); }
    }
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "IPM-Fragment": "1" },
      credentials: "same-origin",
    })
      .then(function (response) { return response.text(); })
      .then(function (html) { if (slot) { slot.outerHTML = '<div data-connected-result aria-live="polite">' + html + "</div>"; } })
      .catch(function () {
        if (slot) slot.querySelector(".spinner-border")?.classList.add("d-none");
        form.dataset.failed = "1";
      })
      .finally(function () { form.dataset.busy = ""; });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("[data-connected-verify]");
    if (!form) return;
    event.preventDefault();
    ask(form);
  });

  function start() {
    document.querySelectorAll("[data-connected-verify]").forEach(function (form) {
      if (!form.dataset.started) { form.dataset.started = "1"; ask(form); }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
