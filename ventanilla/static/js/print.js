// "Print" on a booking's confirmation: shows the button (hidden without JavaScript, where
// the PDF link does the same) and opens the browser's print dialogue; the print style
// sheet leaves the chrome and the buttons out.
const button = document.querySelector("[data-app-print]");
if (button && typeof window.print === "function") {
  button.closest(".app-js-only").hidden = false;
  button.addEventListener("click", () => window.print());
}
