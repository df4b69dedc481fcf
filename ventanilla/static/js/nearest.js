// "Nearest first" on the centre list: asks the browser for the location once and reloads
// the page with it in the query string. Without JavaScript the button stays hidden and the
// centres are listed by name.
const button = document.querySelector("[data-app-nearest]");
if (button && "geolocation" in navigator) {
  button.closest(".app-js-only").hidden = false;
  button.addEventListener("click", () => {
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const url = new URL(window.location.href);
        url.searchParams.set("lat", position.coords.latitude.toFixed(4));
        url.searchParams.set("lng", position.coords.longitude.toFixed(4));
        window.location.assign(url.toString());
      },
      () => { button.disabled = false; },
      { maximumAge: 600000, timeout: 10000 },
    );
  });
}
