"""The validators' desk in a browser (R-CER-01, R-CER-05): a validator on a phone (390 px)
and on a wide screen (1280 px) opens the queue, opens the most urgent certificate (the scan
beside the typed fields when there is room, stacked on the phone), tries to validate it
with a tick missing, validates it and lands on the next one; the keyboard shortcuts never
fire inside a text box; axe on the queue and the certificate pages, in Spanish and in
English."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .support import error_state_problems, follow, html_lang, open_menu, path_of

pytestmark = pytest.mark.browser

PASSWORD = "Staff-password-123"
ALL_CHECKS = ["letterhead", "typed", "stamp", "no_amendments", "legible"]
WIDE = {"width": 1280, "height": 900}
PHONE_390 = {"width": 390, "height": 844}


def press(page, selector: str, *, status: int) -> None:
    with page.expect_navigation(wait_until="load") as navigation:
        page.locator(selector).first.click()
    assert navigation.value.status == status, (selector, navigation.value.status)


def focused(page) -> str:
    return page.evaluate("(document.activeElement.name || '') + '=' + "
                         "(document.activeElement.value || '')")


def box(page, selector: str) -> dict:
    found = page.locator(selector).bounding_box()
    assert found is not None, selector
    return found


@pytest.mark.parametrize("width, language", [(390, "es"), (390, "en"), (1280, "es"),
                                             (1280, "en")],
                         ids=["390-es", "390-en", "1280-es", "1280-en"])
def test_a_validator_validates_a_certificate_and_lands_on_the_next(new_page, a11y,
                                                                   make_affiliate, width,
                                                                   language):
    from conftest import png_bytes
    from ventanilla.certificates.models import Certificate
    from ventanilla.certificates.services import Upload
    from ventanilla.certificates.tests import factories

    factories.validator()
    ana = make_affiliate()
    first = factories.due_in(factories.submitted(
        ana, files={"scan": Upload(png_bytes(), "certificado.png")}), -2)
    second = factories.due_in(factories.submitted(
        ana, kind="accident", rest_start="04/12/2026", rest_end="05/12/2026", rest_days="2",
        issued_on="04/12/2026"), 1)
    first_path = f"/staff/certificados/{first.case.reference}/"
    second_path = f"/staff/certificados/{second.case.reference}/"
    page = new_page(viewport=PHONE_390 if width == 390 else WIDE,
                    language="en" if language == "en" else None)
    problems: list[str] = []

    page.goto("/staff/entrar/")
    page.fill("input[name=username]", "validador.ec")
    page.fill("input[name=password]", PASSWORD)
    press(page, "main form[method=post] button[type=submit]", status=200)
    assert path_of(page) == "/staff/certificados/"   # a validator lands on the queue
    open_menu(page)
    follow(page, "#service-navigation a[href='/staff/certificados/']")
    assert html_lang(page) == language
    expect(page.locator("#certificates tbody tr")).to_have_count(2)
    expect(page.locator("#count-overdue")).to_have_text("1")
    expect(page.locator("#certificates tbody tr").first.locator(".govuk-tag--red")
           ).to_be_visible()
    a11y.check(page, f"[{language} {width}] queue")
    # the filters work without JavaScript: a plain GET
    page.select_option("select[name=tipo]", "accident")
    press(page, "main form[method=get] button[type=submit]", status=200)
    expect(page.locator("#certificates tbody tr")).to_have_count(1)
    a11y.check(page, f"[{language} {width}] queue, filtered")
    page.goto("/staff/certificados/")

    follow(page, f"#certificates a[href='{first_path}']")
    assert path_of(page) == first_path
    expect(page.locator("h1")).to_contain_text(first.case.reference)
    expect(page.locator("#scan img")).to_be_visible()
    scan, typed = box(page, "#scan"), box(page, "#typed")
    if width == 1280:   # side by side
        assert scan["x"] + scan["width"] <= typed["x"] + 1 and abs(scan["y"] - typed["y"]) < 2
    else:               # stacked, and nothing wider than the phone
        assert typed["y"] >= scan["y"] + scan["height"] - 1
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert box(page, "#scan img")["width"] <= scan["width"] + 1
    a11y.check(page, f"[{language} {width}] certificate")

    # keyboard shortcuts, shown with JavaScript; never inside a text box
    expect(page.locator("[data-shortcuts-help]")).to_be_visible()
    page.locator("h1").click()
    page.keyboard.press("v")
    assert focused(page) == "validar-checklist=letterhead"
    page.keyboard.press("r")
    assert focused(page) == "rechazar-reasons=no_letterhead"
    page.keyboard.press("d")
    assert focused(page).startswith("devolver-note=")
    page.keyboard.type("nv")
    assert path_of(page) == first_path
    assert page.locator("textarea[name=devolver-note]").input_value() == "nv"
    page.fill("textarea[name=devolver-note]", "")

    # a tick missing: refused at the top, linking to the checklist
    for item in ALL_CHECKS[:3]:
        page.check(f"input[name=validar-checklist][value={item}]")
    press(page, "#validate button[type=submit]", status=422)
    problems += error_state_problems(page, language, "validate with two ticks missing")
    expect(page.locator(".govuk-error-summary a[href='#id_validar-checklist_0']")
           ).to_have_count(1)
    expect(page.locator("input[name=validar-checklist][value=letterhead]")).to_be_checked()
    a11y.check(page, f"[{language} {width}] certificate, a tick missing")

    for item in ALL_CHECKS:
        page.check(f"input[name=validar-checklist][value={item}]")
    press(page, "#validate button[type=submit]", status=200)
    assert path_of(page) == second_path   # the next one waiting opens
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        first.case.reference)
    a11y.check(page, f"[{language} {width}] the next certificate, after a decision")
    assert Certificate.objects.get(pk=first.pk).status == Certificate.Status.VALIDATED

    # N: the next one of the queue (none after the last: no link)
    expect(page.locator("#next-certificate")).to_have_count(0)
    assert page.browsing.external_requests == []
    assert page.browsing.page_errors == []
    assert not problems, f"[{language} {width}] error states: {problems}"
    a11y.assert_clean()
