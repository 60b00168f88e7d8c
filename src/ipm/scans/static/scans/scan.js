// The scan page's form (scans/scan.html): a photo chosen or taken with the "take a photo" field is sent at once,
// without a second tap on "Look up". Without JavaScript the button does the same.
document.addEventListener("change", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || input.type !== "file" || input.dataset.autosubmit === undefined) return;
  if (!input.files || input.files.length === 0) return;
  const form = input.form;
  // The photo is what is looked up: a code left in the field would only confuse the answer.
  const code = form.elements.namedItem("code");
  if (code) code.value = "";
  if (form.requestSubmit) form.requestSubmit();
  else form.submit();
});
