// Small behaviours of the shell. No inline scripts anywhere: the Content-Security-Policy forbids them.
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.dataset.autosubmit !== undefined) {
    target.form.requestSubmit();
  }
});
