// The ICD-10 code with suggestions (issue 13): as the person types, the codes and
// descriptions that match come from GET /api/v1/icd10?q=; choosing one fills the code in
// and says its official description, so the person sees at once whether it is the one on
// the paper (and the confirmation page is skipped: icd10_seen). Without JavaScript, or
// when the API does not answer, nothing changes: the server checks the code after
// "Continue", shows its description to confirm, or the nearest valid codes to choose from.
// Strings come from the form's data-i18n.* attributes (translated on the server).
const input = document.querySelector('input[data-module="icd10-autocomplete"]');
const form = input && input.form;
const endpoint = form && form.dataset.icd10Url;

function fill(template, values) {
  return String(template || "").replace(/%\((\w+)\)s/g, (_m, name) =>
    name in values ? String(values[name]) : "");
}

function resultsOf(body) {
  // Defensive: {"results": [...]}, {"items": [...]} or a bare list; each with a code.
  const rows = Array.isArray(body) ? body
    : body && Array.isArray(body.results) ? body.results
    : body && Array.isArray(body.items) ? body.items : [];
  return rows.filter((r) => r && typeof r.code === "string" && r.code.length <= 12)
    .slice(0, 8);
}

if (input && endpoint) {
  const seen = form.querySelector('input[name="icd10_seen"]');
  const text = (name) => form.getAttribute(`data-i18n.${name}`) || "";
  const pageLang = document.documentElement.lang || "";

  const status = document.createElement("p");
  status.className = "govuk-hint app-icd10__status";
  status.id = "icd10-status";
  status.setAttribute("role", "status");
  const list = document.createElement("ul");
  list.className = "app-icd10__list";
  list.id = "icd10-suggestions";
  list.setAttribute("aria-label", text("choose"));
  list.hidden = true;
  const chosen = document.createElement("p");
  chosen.className = "govuk-body app-icd10__chosen";
  chosen.id = "icd10-chosen";
  chosen.setAttribute("aria-live", "polite");
  input.after(status, list, chosen);
  const described = input.getAttribute("aria-describedby");
  input.setAttribute("aria-describedby", described ? `${described} icd10-chosen` : "icd10-chosen");

  let timer = null;
  let controller = null;
  let last = "";

  const clear = () => {
    list.replaceChildren();
    list.hidden = true;
    status.textContent = "";
  };

  const describe = (element, row) => {
    const span = document.createElement("span");
    span.textContent = row.description || "";
    if (row.description_language && row.description_language !== pageLang) {
      span.lang = row.description_language;
    }
    element.append(span);
  };

  const choose = (row) => {
    input.value = row.code;
    if (seen) seen.value = row.code;
    last = row.code;
    clear();
    chosen.replaceChildren();
    const code = document.createElement("strong");
    code.textContent = row.code;
    chosen.append(`${text("chosen")} `, code, " ");
    describe(chosen, row);
    input.focus();
  };

  const render = (rows) => {
    list.replaceChildren();
    if (!rows.length) {
      list.hidden = true;
      status.textContent = text("none");
      return;
    }
    status.textContent = fill(text("results"), { count: rows.length });
    for (const row of rows) {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "app-icd10__option";
      const code = document.createElement("strong");
      code.textContent = `${row.code} `;
      button.append(code);
      describe(button, row);
      button.addEventListener("click", () => choose(row));
      item.append(button);
      list.append(item);
    }
    list.hidden = false;
  };

  const search = async () => {
    const q = input.value.trim();
    if (q.length < 2) {
      last = "";
      clear();
      return;
    }
    if (q === last) return;
    last = q;
    if (controller) controller.abort();
    controller = new AbortController();
    try {
      const query = new URLSearchParams({ q, limit: "8" });
      const response = await fetch(`${endpoint}?${query}`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller.signal,
      });
      if (!response.ok) {
        clear();
        return;
      }
      render(resultsOf(await response.json()));
    } catch {
      // Offline, aborted or not JSON: the server still checks the code after "Continue".
    }
  };

  input.addEventListener("input", () => {
    if (seen) seen.value = "";
    chosen.replaceChildren();
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") clear();
    if (event.key === "ArrowDown" && !list.hidden) {
      event.preventDefault();
      const first = list.querySelector("button");
      if (first) first.focus();
    }
  });
  list.addEventListener("keydown", (event) => {
    const buttons = [...list.querySelectorAll("button")];
    const at = buttons.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && at < buttons.length - 1) {
      event.preventDefault();
      buttons[at + 1].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      (at > 0 ? buttons[at - 1] : input).focus();
    } else if (event.key === "Escape") {
      clear();
      input.focus();
    }
  });
}
