// Opens the session-timeout dialog 2 minutes before the session ends; "Stay signed in"
// refreshes the session without leaving the page. No inline script: the strict CSP allows
// only same-origin files.
const dialog = document.getElementById("session-timeout");

function schedule(seconds) {
  const warnBefore = Number(dialog.dataset.warnBefore || 120);
  const delay = Math.max(0, seconds - warnBefore) * 1000;
  window.setTimeout(() => {
    if (!dialog.open) dialog.showModal();
  }, delay);
}

if (dialog && typeof dialog.showModal === "function") {
  const form = dialog.querySelector("form");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (response.ok) {
      const data = await response.json();
      dialog.close();
      schedule(data.expires_in);
    } else {
      window.location.reload();
    }
  });
  schedule(Number(dialog.dataset.expiresIn));
}
