// Keyboard shortcuts on a certificate of the validators' desk: each element marked
// data-shortcut="<key>" is a target. A section gets the focus on its first control (V the
// checklist to validate, R the reasons to reject, D the note to send it back); a link is
// followed (N the next certificate). Never while typing in a text box, nor with Ctrl, Alt or
// Meta held (the browser's own shortcuts). Without JavaScript the help stays hidden and
// every control is reached with Tab, in the order of the page.
const targets = new Map();
for (const element of document.querySelectorAll("[data-shortcut]")) {
  targets.set(element.dataset.shortcut.toLowerCase(), element);
}
const help = document.querySelector("[data-shortcuts-help]");
if (help && targets.size) {
  help.hidden = false;
}

const NOT_TYPING = new Set(["checkbox", "radio", "button", "submit", "reset"]);

function typing(element) {
  if (!element || !element.tagName) return false;
  if (element.isContentEditable) return true;
  const tag = element.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  return tag === "INPUT" && !NOT_TYPING.has(element.type);
}

document.addEventListener("keydown", (event) => {
  if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey) return;
  if (typing(event.target) || typeof event.key !== "string") return;
  const target = targets.get(event.key.toLowerCase());
  if (!target) return;
  event.preventDefault();
  if (target.tagName === "A") {
    window.location.assign(target.href);
    return;
  }
  const control = target.querySelector(
    "input:not([type=hidden]), textarea, select, button") || target;
  control.focus();
  control.scrollIntoView({ block: "center" });
});
