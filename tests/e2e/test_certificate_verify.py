"""The employer's check of a sick-leave certificate in a browser, 390 px wide (R-CER-05):
from the receipt's QR link (the reference filled in) to the answer, the error state too;
axe on each, in Spanish and in English, no horizontal scroll, never the diagnosis."""

from __future__ import annotations

import pytest

from .support import error_state_problems, html_lang, path_of, submit

pytestmark = pytest.mark.browser

PHONE_390 = {"width": 390, "height": 844}
ALL_CHECKS = ["letterhead", "typed", "stamp", "no_amendments", "legible"]


@pytest.mark.parametrize("language", ["es", "en"])
def test_r_cer_05_an_employer_checks_a_certificate_from_the_receipts_link(
        new_page, a11y, make_affiliate, roles, language):
    from ventanilla.accounts.roles import Role
    from ventanilla.accounts.services import staff_create
    from ventanilla.certificates import services
    from ventanilla.certificates.receipt import verify_url
    from ventanilla.certificates.tests.conftest import NOW, scan, typed
    from ventanilla.core.channels import Channel

    ana = make_affiliate()
    cert = services.certificate_submit(submitter=ana, patient=ana, data=typed(), files=scan(),
                                       channel=Channel.WEB, now=NOW)
    validator = staff_create(username="validador.ec", password="Staff-password-123",
                             role=Role.VALIDATOR, country="EC")
    services.certificate_validate(certificate=cert, actor=validator, checklist=ALL_CHECKS,
                                  now=NOW)
    page = new_page(viewport=PHONE_390, language="en" if language == "en" else None)
    link = verify_url(cert)
    page.goto(link[link.index("/certificados/"):])
    assert html_lang(page) == language
    assert page.input_value("#id_reference") == cert.case.reference
    a11y.check(page, f"[{language}] employer's check")

    submit(page)   # no ID number
    assert error_state_problems(page, language, "employer's check") == []
    a11y.check(page, f"[{language}] employer's check, error state")

    page.fill("#id_id_number", "1710034065")
    submit(page)
    assert path_of(page) == "/certificados/verificar/"
    main = page.locator("main").inner_text()
    assert cert.case.reference in main
    assert "J06" not in page.content() and "Infección" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_390["width"]
    a11y.check(page, f"[{language}] employer's check, validated")
    a11y.assert_clean()
