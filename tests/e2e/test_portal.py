"""The affiliates' portal in a browser (phone-sized): sign in with ID + clave, the home page
(name, ID, type of insured, coverage, dependants, cases), contributions, reporting an error
that becomes an in-person case, and the clave pages; axe on every page and error state, in
Spanish and in English."""

from __future__ import annotations

from datetime import date

import pytest

from .support import html_lang, path_of, submit

pytestmark = pytest.mark.browser

CLAVE = "una clave larga 2026"


@pytest.mark.parametrize("language", ["es", "en"])
def test_affiliate_signs_in_sees_coverage_and_reports_a_contribution_error(
        new_page, a11y, make_affiliate, language):
    from ventanilla.cases.models import Case, CaseKind

    holder = make_affiliate(affiliation_type="voluntary", starts_on=date(2025, 1, 1))
    make_affiliate(id_number="0926687856", given_names="Sofía", family_names="Paz",
                   date_of_birth=date(2015, 5, 1), affiliation_type="dependant",
                   holder=holder.affiliations.get(), relationship="child", with_clave=False,
                   starts_on=date(2025, 2, 1))
    page = new_page(language="en" if language == "en" else None)

    page.goto("/portal/")
    assert path_of(page) == "/portal/entrar/" and html_lang(page) == language
    a11y.check(page, f"[{language}] sign-in")
    submit(page)
    assert page.locator(".govuk-error-summary").count() == 1
    a11y.check(page, f"[{language}] sign-in, error state")

    page.select_option("#id_document", "EC:cedula")
    page.fill("#id_id_number", "1710034065")
    page.fill("#id_password", CLAVE)
    submit(page)
    assert path_of(page) == "/portal/"
    body = page.locator("main").inner_text()
    assert "Ana Paz Vera" in body and "1710034065" in body and "Sofía Paz" in body
    a11y.check(page, f"[{language}] home")

    page.goto("/portal/aportes/")
    assert page.locator("table.govuk-table tbody tr").count() >= 10
    a11y.check(page, f"[{language}] contributions")

    page.goto("/portal/aportes/reportar-error/")
    submit(page)
    a11y.check(page, f"[{language}] contribution error, error state")
    page.fill("#id_description", "Marzo 2025 pagado en el banco / March 2025 paid")
    submit(page)
    case = Case.objects.get(person=holder, kind=CaseKind.CONTRIBUTION_ERROR)
    assert path_of(page) == f"/portal/tramites/{case.reference}/"
    assert page.locator(".govuk-warning-text").count() == 1
    a11y.check(page, f"[{language}] in-person case")

    page.goto("/portal/tramites/nuevo/")
    a11y.check(page, f"[{language}] other in-person matter")
    submit(page)
    assert page.locator(".govuk-error-summary").count() == 1
    a11y.check(page, f"[{language}] other in-person matter, error state")
    a11y.assert_clean()


@pytest.mark.parametrize("language", ["es", "en"])
def test_clave_pages_are_accessible(new_page, a11y, language):
    page = new_page(language="en" if language == "en" else None)
    for path, label in (("/portal/clave/", "clave with a code"),
                        ("/portal/clave/en-linea/", "clave online"),
                        ("/portal/visitas/identificarse/", "visit without a clave")):
        page.goto(path)
        assert html_lang(page) == language
        a11y.check(page, f"[{language}] {label}")
        submit(page)
        assert page.locator(".govuk-error-summary").count() == 1
        a11y.check(page, f"[{language}] {label}, error state")
    a11y.assert_clean()


@pytest.mark.parametrize("language", ["es", "en"])
def test_affiliate_asks_coverage_for_a_child_and_sees_the_in_person_checklist(
        new_page, a11y, make_affiliate, language):
    from ventanilla.dependants.models import DependantRequest

    make_affiliate(affiliation_type="employee")
    page = new_page(language="en" if language == "en" else None)
    page.goto("/portal/entrar/")
    page.select_option("#id_document", "EC:cedula")
    page.fill("#id_id_number", "1710034065")
    page.fill("#id_password", CLAVE)
    submit(page)

    page.goto("/portal/dependientes/")
    a11y.check(page, f"[{language}] dependants")
    page.goto("/portal/dependientes/nueva/")
    submit(page)
    a11y.check(page, f"[{language}] dependant: who, error state")
    page.check("input[name=relationship][value=spouse]")
    page.check("input[name=union_kind][value=marriage]")
    page.check("input[name=marriage_abroad][value=yes]")
    submit(page)
    assert page.locator("main ul.govuk-list--bullet li").count() >= 3
    a11y.check(page, f"[{language}] dependant: in person only")

    page.goto("/portal/dependientes/nueva/")
    page.check("input[name=relationship][value=child]")
    submit(page)
    assert path_of(page) == "/portal/dependientes/nueva/datos/"
    a11y.check(page, f"[{language}] dependant: details")
    submit(page)
    a11y.check(page, f"[{language}] dependant: details, error state")
    page.fill("#id_given_names", "Mateo")
    page.fill("#id_family_names", "Paz")
    page.fill("input[name=date_of_birth_day]", "3")
    page.fill("input[name=date_of_birth_month]", "4")
    page.fill("input[name=date_of_birth_year]", "2016")
    page.select_option("#id_nationality", "EC")
    page.select_option("#id_id_type", "cedula")
    page.fill("#id_id_number", "0926687856")
    submit(page)
    request = DependantRequest.objects.get()
    assert path_of(page) == f"/portal/dependientes/solicitudes/{request.public_id}/"
    a11y.check(page, f"[{language}] dependant: request")
    a11y.assert_clean()


@pytest.mark.parametrize("language", ["es", "en"])
def test_affiliate_books_and_cancels_an_office_visit(new_page, a11y, make_affiliate, language):
    from datetime import timedelta

    from django.utils import timezone

    from ventanilla.scheduling.defaults import office_services_ensure
    from ventanilla.scheduling.models import Booking, Centre, Slot

    make_affiliate(affiliation_type="employee")
    centre = Centre.objects.create(country="EC", code="ec-quito", name="CAU Quito",
                                   subdivision_code="170150", address="Av. 10 de Agosto")
    service = {s.code: s for s in office_services_ensure("EC")}["clave_issuance"]
    start = (timezone.now() + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    for i in range(4):
        Slot.objects.create(centre=centre, service=service,
                            starts_at=start + timedelta(minutes=20 * i),
                            ends_at=start + timedelta(minutes=20 * (i + 1)), capacity=1)
    page = new_page(language="en" if language == "en" else None)
    page.goto("/portal/entrar/")
    page.select_option("#id_document", "EC:cedula")
    page.fill("#id_id_number", "1710034065")
    page.fill("#id_password", CLAVE)
    submit(page)

    page.goto("/portal/visitas/")
    a11y.check(page, f"[{language}] visits, empty")
    page.goto("/portal/visitas/nueva/")
    a11y.check(page, f"[{language}] visit: what")
    page.check("input[name=service][value=clave_issuance]")
    page.select_option("#id_centre", str(centre.public_id))
    submit(page, "main form[method=get] button[type=submit]")
    assert path_of(page) == "/portal/visitas/nueva/fecha/"
    a11y.check(page, f"[{language}] visit: dates")
    with page.expect_navigation(wait_until="load"):
        page.locator("main a.govuk-button--secondary").click()  # first available
    assert path_of(page) == "/portal/visitas/nueva/hora/"
    a11y.check(page, f"[{language}] visit: times")
    submit(page)
    booking = Booking.objects.get()
    assert path_of(page) == f"/portal/visitas/{booking.public_id}/"
    assert page.locator(".govuk-panel--confirmation").count() == 1
    a11y.check(page, f"[{language}] visit: booked")
    submit(page, "main form button.govuk-button--warning")
    assert path_of(page) == "/portal/visitas/"
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    a11y.check(page, f"[{language}] visits, after cancelling")
    a11y.assert_clean()


@pytest.mark.parametrize("language", ["es", "en"])
def test_sis_status_page_is_accessible(new_page, a11y, make_affiliate, language):
    make_affiliate(country="PE", id_type="dni", id_number="10117410",
                   affiliation_type="sis_para_todos", with_clave=False)
    page = new_page(language="en" if language == "en" else None)
    page.goto("/consulta-sis/")
    a11y.check(page, f"[{language}] SIS status")
    submit(page)
    a11y.check(page, f"[{language}] SIS status, error state")
    page.fill("#id_id_number", "10117410")
    submit(page)
    assert page.locator(".govuk-tag--green").count() == 1
    a11y.check(page, f"[{language}] SIS status, answer")
    a11y.assert_clean()
