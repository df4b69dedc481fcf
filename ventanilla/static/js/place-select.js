// The city depends on the province (issue 12 item 8): when the province changes, the city
// list becomes that province's cities, read from the public geography API. Without
// JavaScript the server does the same when the form comes back with a new province.
const province = document.querySelector('select[data-module="place-select"]');
const city = province && province.form && province.form.querySelector('select[name="city"]');
const country = province && province.form && province.form.dataset.country;

async function refresh() {
  if (!city || !country) return;
  city.options.length = 1; // keep "Select"
  if (!province.value) return;
  const url = `/api/v1/countries/${encodeURIComponent(country)}/subdivisions?parent=${encodeURIComponent(province.value)}`;
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) return;
  for (const place of await response.json()) {
    city.add(new Option(place.name, place.code));
  }
}

if (province && city) province.addEventListener("change", refresh);
