"""Sick-leave certificates in the portal on a 390 px phone (issue 13, "Pages"), in Spanish
and in English: every step walked as a person would, each one (and its error state) checked
with axe — 0 serious or critical violations — and for width (no sideways scrolling); the
titles change on every step; the ICD-10 autocomplete (GET /api/v1/icd10) fills the code in
and spares the confirmation page, and with the API failing the steps work as without
JavaScript. Screenshots of every page go to /tmp/portal-shots/ for a person to look at."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from .support import PDF, error_state_problems, follow, html_lang, path_of, submit

pytestmark = pytest.mark.browser

PHONE_390 = {"width": 390, "height": 844}
CLAVE = "una clave larga 2026"
SHOTS = Path("/tmp/portal-shots")
NEW = "/portal/certificados/nuevo/"
TOO_WIDE = "() => document.documentElement.scrollWidth > window.innerWidth"


class Walk:
    """One person's walk: axe, width and a screenshot on every page."""

    def __init__(self, page, a11y, language: str, name: str):
        self.page, self.a11y, self.language, self.name = page, a11y, language, name
        self.count = 0
        self.titles: list[str] = []
        self.problems: list[str] = []

    def look(self, label: str, *, error: bool = False) -> None:
        page = self.page
        where = f"[{self.language}] {label}"
        self.a11y.check(page, where)
        self.titles.append(page.title())
        if html_lang(page) != self.language:
            self.problems.append(f"{where}: <html lang={html_lang(page)!r}>")
        if page.evaluate(TOO_WIDE):
            self.problems.append(f"{where}: wider than 390 px")
        if error:
            self.problems.extend(error_state_problems(page, self.language, where))
        self.count += 1
        SHOTS.mkdir(parents=True, exist_ok=True)
        slug = label.replace(" ", "-").replace(",", "").replace(":", "")
        page.screenshot(path=str(SHOTS / f"{self.name}-{self.language}-{self.count:02d}-"
                                            f"{slug}.png"), full_page=True)


def sign_in(page) -> None:
    page.goto("/portal/entrar/")
    page.select_option("#id_document", "EC:cedula")
    page.fill("#id_id_number", "1710034065")
    page.fill("#id_password", CLAVE)
    submit(page)


def fill(page, values: dict) -> None:
    for name, value in values.items():
        page.fill(f"#id_{name}", value)


def doctor(issued_on: str) -> dict:
    return {"doctor_name": "Dra. Lucía Andrade", "doctor_specialty": "Ginecología",
            "establishment": "Clínica La Merced", "doctor_email": "l.andrade@lamerced.ec",
            "doctor_registration": "1005-2016-1727394", "establishment_phone": "02 245 6789",
            "establishment_address": "Av. 10 de Agosto N24-35, Quito",
            "issued_place": "Quito", "issued_on": issued_on}


def broken_icd10_api(route) -> None:
    """The search API failing: the form must work as without JavaScript."""
    route.fulfill(status=500, content_type="text/html", body="<h1>Server error</h1>")


@pytest.mark.parametrize("language", ["es", "en"])
def test_a_maternity_certificate_walked_on_a_phone_with_axe_on_every_step(
        new_page, a11y, make_affiliate, language):
    from ventanilla.certificates.models import Certificate
    from ventanilla.countries.registry import get_pack

    make_affiliate(email="ana@example.com")
    today = get_pack("EC").today()
    start = today - timedelta(days=6)
    page = new_page(viewport=PHONE_390, language="en" if language == "en" else None)
    page.route("**/api/v1/icd10?*", broken_icd10_api)
    walk = Walk(page, a11y, language, "maternity")
    sign_in(page)
    follow(page, "main a[href='/portal/certificados/']")
    walk.look("list, empty")
    follow(page, f"main a[href='{NEW}']")
    walk.look("who")
    submit(page)
    walk.look("who, error state", error=True)
    page.check("input[name=patient]")
    submit(page)

    assert path_of(page) == f"{NEW}tipo/"
    walk.look("kind")
    submit(page)
    walk.look("kind, error state", error=True)
    page.check("input[name=kind][value=maternity]")
    page.check("input[name=abroad][value=no]")
    submit(page)

    walk.look("doctor")
    submit(page)
    walk.look("doctor, error state", error=True)
    assert page.locator(".govuk-error-summary li").count() == 9
    fill(page, doctor(start.strftime("%d/%m/%Y")))
    submit(page)

    walk.look("patient")
    fill(page, {"patient_names": "Ana Paz Vera", "patient_id_number": "1710034065",
                "diagnosis": "Parto único espontáneo", "icd10_code": "O80"})
    submit(page)
    walk.look("patient, the nearest codes", error=True)
    assert page.locator("input[name=icd10_choice]").count() >= 2
    page.fill("#id_icd10_code", "o800")
    submit(page)
    assert path_of(page) == f"{NEW}codigo/"
    walk.look("the code's description")
    page.check("input[name=confirmed][value=yes]")
    submit(page)

    walk.look("days")
    fill(page, {"rest_start": start.strftime("%d/%m/%Y"), "rest_end": today.isoformat(),
                "rest_days": "6", "rest_days_words": "seis"})
    submit(page)
    walk.look("days, error state", error=True)   # 6 typed, 7 counted
    page.fill("#id_rest_days", "7")
    page.fill("#id_rest_days_words", "siete")
    submit(page)

    assert path_of(page) == f"{NEW}detalles/"
    walk.look("birth")
    fill(page, {"delivered_on": start.strftime("%d/%m/%Y"), "pregnancy_weeks": "52"})
    page.check("input[name=live_birth][value=yes]")
    page.check("input[name=baby_sex][value=female]")
    submit(page)
    walk.look("birth, error state", error=True)
    page.fill("#id_pregnancy_weeks", "39")
    submit(page)

    walk.look("upload")
    submit(page)
    walk.look("upload, error state", error=True)
    page.set_input_files("input[name=scan]", files=[{"name": "nota.png", "mimeType": "image/png",
                                             "buffer": b"<html></html>"}])
    submit(page)
    walk.look("upload, not an image", error=True)
    page.goto(f"{NEW}revisar/")
    walk.look("check, a file missing", error=True)
    follow(page, ".govuk-error-summary a[href*='archivo/certificado']")
    page.set_input_files("input[name=scan]", files=[{"name": "certificado.pdf",
                                             "mimeType": "application/pdf", "buffer": PDF}])
    submit(page)

    assert path_of(page) == f"{NEW}revisar/", page.url
    assert page.locator(".govuk-error-summary").count() == 0
    walk.look("check")
    submit(page, "main form[method=post] button[data-prevent-double-click]")
    cert = Certificate.objects.get()
    assert path_of(page) == f"/portal/certificados/{cert.case.reference}/enviado/"
    assert cert.case.reference in page.locator(".govuk-panel").inner_text()
    walk.look("confirmation")
    follow(page, f"main a[href='/portal/certificados/{cert.case.reference}/']")
    walk.look("one certificate")
    page.goto("/portal/certificados/")
    walk.look("list")
    assert (cert.kind, cert.pregnancy_weeks, cert.live_birth) == ("maternity", 39, True)
    assert len(set(walk.titles)) >= 14, walk.titles
    assert not walk.problems, walk.problems
    assert not page.browsing.page_errors, page.browsing.page_errors
    a11y.assert_clean()


@pytest.mark.parametrize("language", ["es", "en"])
def test_from_abroad_late_with_the_autocomplete_then_sent_back_and_corrected(
        new_page, a11y, make_affiliate, roles, language):
    from ventanilla.accounts.roles import Role
    from ventanilla.accounts.services import staff_create
    from ventanilla.certificates import services
    from ventanilla.certificates.models import Certificate
    from ventanilla.countries.registry import get_pack

    make_affiliate(email="ana@example.com")
    end = get_pack("EC").today() - timedelta(days=20)
    start = end - timedelta(days=2)
    page = new_page(viewport=PHONE_390, language="en" if language == "en" else None)
    walk = Walk(page, a11y, language, "abroad")
    sign_in(page)
    page.goto(NEW)
    page.check("input[name=patient]")
    submit(page)
    page.check("input[name=kind][value=illness]")
    page.check("input[name=abroad][value=yes]")
    submit(page)
    walk.look("kind from abroad, error state", error=True)
    page.select_option("#id_issued_country", "US")
    page.select_option("#id_language", "en")
    submit(page)
    fill(page, {**doctor(start.isoformat()), "doctor_registration": "NY 123456",
                "establishment_phone": "+1 212 555 0100"})
    submit(page)
    fill(page, {"patient_names": "Ana Paz Vera", "patient_id_number": "1710034065",
                "diagnosis": "Acute pharyngitis"})
    page.locator("#id_icd10_code").press_sequentially("O80", delay=30)
    page.wait_for_selector(".app-icd10__option")
    walk.look("patient, the autocomplete open")
    option = page.locator(".app-icd10__option").first
    code = option.locator("strong").inner_text().strip()
    option.click()
    assert code.startswith("O80.") and page.input_value("#id_icd10_code") == code
    assert page.input_value("input[name=icd10_seen]") == code
    assert code in page.locator("#icd10-chosen").inner_text()
    submit(page)
    assert path_of(page) == f"{NEW}dias/"          # seen in the list: no confirmation page
    fill(page, {"rest_start": start.isoformat(), "rest_end": end.isoformat(),
                "rest_days": "3"})
    submit(page)
    for slug, label in (("certificado", "scan"), ("apostilla", "apostille"),
                        ("traduccion", "translation")):
        assert path_of(page) == f"{NEW}archivo/{slug}/"
        walk.look(f"upload the {label}")
        page.set_input_files("input[type=file]", files=[
            {"name": f"{label}.pdf", "mimeType": "application/pdf", "buffer": PDF}])
        submit(page)
    walk.look("check, late", error=True)
    assert page.locator("#id_late_reason").count() == 1
    page.fill("#id_late_reason", "Estuve fuera del país / I was abroad.")
    submit(page, "main form[method=post] button[data-prevent-double-click]")
    cert = Certificate.objects.get()
    walk.look("confirmation from abroad")

    validator = staff_create(username="validador.ec", password="Staff-password-123",
                             role=Role.VALIDATOR, country="EC")
    services.certificate_return(certificate=cert, actor=validator,
                                note="La traducción no está firmada.")
    page.goto(f"/portal/certificados/{cert.case.reference}/")
    walk.look("sent back")
    follow(page, "#returned a")
    walk.look("correction")
    page.fill("#id_rest_days", "9")
    submit(page)
    walk.look("correction, error state", error=True)
    page.fill("#id_rest_days", "3")
    page.set_input_files("input[name=translation]", files=[
        {"name": "traduccion-firmada.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    submit(page)
    walk.look("corrected")
    cert.refresh_from_db()
    assert cert.status == Certificate.Status.SUBMITTED
    assert not walk.problems, walk.problems
    assert not page.browsing.page_errors, page.browsing.page_errors
    a11y.assert_clean()


def test_the_whole_submission_works_with_javascript_off(new_page, make_affiliate):
    from ventanilla.certificates.models import Certificate
    from ventanilla.countries.registry import get_pack

    make_affiliate(email="ana@example.com")
    today = get_pack("EC").today()
    page = new_page(viewport=PHONE_390, language="en", java_script_enabled=False)
    sign_in(page)
    page.goto(NEW)
    page.check("input[name=patient]")
    submit(page)
    page.check("input[name=kind][value=illness]")
    page.check("input[name=abroad][value=no]")
    submit(page)
    fill(page, doctor(today.strftime("%d/%m/%Y")))
    submit(page)
    fill(page, {"patient_names": "PAZ VERA ANA", "patient_id_number": "1710034065",
                "diagnosis": "Faringitis aguda", "icd10_code": "j029"})
    submit(page)
    assert path_of(page) == f"{NEW}codigo/"
    assert "J02.9" in page.locator("#icd10-description").inner_text()
    page.check("input[name=confirmed][value=yes]")
    submit(page)
    fill(page, {"rest_start": today.isoformat(), "rest_end": today.strftime("%d-%m-%Y"),
                "rest_days": "1", "rest_days_words": "un día"})
    submit(page)
    page.set_input_files("input[name=scan]", files=[
        {"name": "certificado.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    submit(page)
    assert path_of(page) == f"{NEW}revisar/"
    submit(page, "main form[method=post] button[data-prevent-double-click]")
    cert = Certificate.objects.get()
    assert path_of(page) == f"/portal/certificados/{cert.case.reference}/enviado/"
    assert (cert.icd10_code, cert.rest_days, cert.rest_days_words) == ("J02.9", 1, "un día")
