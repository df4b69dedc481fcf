"""The page-speed budget of UX.md ("Performance budgets (slow phones)"): first paint
(first-contentful-paint) under 2 s on Chromium's "Fast 3G" preset and under 6 s on its
"Slow 3G" preset, on the landing page, the sign-in page and the booking's date step, served by
``ventanilla serve`` (the production server: compressed, hashed static files).

Every load is a first visit: the browser cache is off (``Network.setCacheDisabled``), so the
stylesheet and scripts come over the throttled network each time. The throttling is CDP's
``Network.emulateNetworkConditions`` with the values of Chromium DevTools' presets
(devtools-frontend ``NetworkManager.ts``; the same in Puppeteer's
``PredefinedNetworkConditions``): the latency is added to every request, and Slow 3G's
2-second round trip means two sequential requests (the page, then its stylesheet) already
take 4 s, which is why the budget is 6 s there and not the 3 s UX.md once said.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# bytes per second and milliseconds, as DevTools defines them
PRESETS = {
    "Fast 3G": {"latency": 150 * 3.75, "downloadThroughput": 1.6 * 1000 * 1000 / 8 * 0.9,
                "uploadThroughput": 750 * 1000 / 8 * 0.9},
    "Slow 3G": {"latency": 400 * 5, "downloadThroughput": 500 * 1000 / 8 * 0.8,
                "uploadThroughput": 500 * 1000 / 8 * 0.8},
}
BUDGET_MS = {"Fast 3G": 2_000, "Slow 3G": 6_000}
PHONE = {"width": 390, "height": 844}
DEMO_AFFILIATE = ("EC:cedula", "1705551230")   # Carmen Elena Vásquez Torres (loaddemo)
DEMO_CLAVE = "Ventanilla-demo-2026"

FCP = """() => new Promise((resolve) => {
  const entry = performance.getEntriesByName('first-contentful-paint')[0];
  if (entry) return resolve(entry.startTime);
  new PerformanceObserver((list) => {
    const paint = list.getEntriesByName('first-contentful-paint')[0];
    if (paint) resolve(paint.startTime);
  }).observe({type: 'paint', buffered: true});
})"""


def first_paint_ms(page, url: str, preset: str) -> float:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", {"offline": False, **PRESETS[preset]})
    try:
        page.goto(url, wait_until="load", timeout=60_000)
        return float(page.evaluate(FCP))
    finally:
        cdp.send("Network.emulateNetworkConditions", {
            "offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
        cdp.detach()


def test_first_paint_is_within_budget_on_3g(browser, production_server):
    context = browser.new_context(viewport=PHONE, locale="es-EC", base_url=production_server)
    report, over = [], []

    def measure(label: str, url: str) -> None:
        for preset, budget in BUDGET_MS.items():
            fcp = first_paint_ms(page, url, preset)
            assert page.url == f"{production_server}{url}" or page.url == url, page.url
            report.append(f"{preset:8} {label:14} first paint {fcp:6.0f} ms "
                          f"(budget {budget} ms)")
            if fcp >= budget:
                over.append(report[-1])

    try:
        page = context.new_page()
        # a person who is not signed in
        measure("landing page", "/")
        measure("sign-in", "/portal/entrar/")
        # the demo affiliate reaches the date step (not throttled), which is then measured
        page.goto("/portal/entrar/")
        page.select_option("#id_document", DEMO_AFFILIATE[0])
        page.fill("#id_id_number", DEMO_AFFILIATE[1])
        page.fill("#id_password", DEMO_CLAVE)
        with page.expect_navigation():
            page.locator("main form[method=post] button[type=submit]").click()
        page.goto("/portal/citas/nueva/especialidad/")
        page.check("input[name=specialty][value=general_medicine]")
        page.select_option("#id_province", "17")
        page.select_option("#id_city", "1701")
        with page.expect_navigation():
            page.locator("main form[method=get] button[type=submit]").click()
        date_step = page.url
        assert "/portal/citas/nueva/fecha/" in date_step, date_step
        assert page.locator("#dates a").count(), page.locator("main").inner_text()
        measure("booking: date", date_step)
    finally:
        context.close()
    print("\n".join(report))
    assert not over, ("over the first-paint budget:\n" + "\n".join(over) + "\n\n"
                      + "\n".join(report))
