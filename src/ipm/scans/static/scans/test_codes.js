// The print button of the test-barcode page (scans/test_codes.html); without JavaScript it stays hidden.
const printButton = document.getElementById("print-codes");
if (printButton) {
  printButton.hidden = false;
  printButton.addEventListener("click", () => window.print());
}
