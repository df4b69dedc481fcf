"""The validators' desk (R-CER-01..05): the queue of a country by due date with its counts,
filters and overdue marks; one certificate per screen, audited, with its scan and findings;
another country's certificate answers 404; who may open it. The decisions:
test_staff_certificates_decide.py; the browser: tests/e2e/test_certificates_desk.py."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import translation

from conftest import png_bytes
from ventanilla.certificates.models import Certificate
from ventanilla.certificates.services import Upload
from ventanilla.certificates.tests import factories
from ventanilla.core.dates import day_text
from ventanilla.core.models import AuditEntry
from ventanilla.countries.registry import get_pack

pytestmark = pytest.mark.django_db

QUEUE = "/staff/certificados/"
REFERENCE = re.compile(r'href="/staff/certificados/([A-Z]{2}-[0-9A-Z]+)/')


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def page_of(cert) -> str:
    return f"/staff/certificados/{cert.case.reference}/"


def listed(html: str) -> list[str]:
    """The references of the queue's table, in its order."""
    table = html[html.index('id="certificates"'):] if 'id="certificates"' in html else ""
    return REFERENCE.findall(table)


def text_of(html: str, element_id: str) -> str:
    m = re.search(rf'id="{element_id}"[^>]*>(.*?)</', html, re.S)
    return " ".join(m.group(1).split()) if m else ""


@pytest.fixture
def ana(make_affiliate):
    return make_affiliate()


@pytest.fixture
def validator(db):
    return factories.validator()


@pytest.fixture
def queue3(ana):
    """Three waiting certificates of Ana, due 3 days ago, in 2 days and 1 day ago; one
    already validated, which the default queue does not list."""
    late3 = factories.due_in(factories.submitted(ana), -3)
    later = factories.due_in(factories.submitted(
        ana, kind="accident", establishment="Hospital Metropolitano", rest_start="04/12/2026",
        rest_end="05/12/2026", rest_days="2", issued_on="04/12/2026"), 2)
    late1 = factories.due_in(factories.submitted(
        ana, establishment="Clínica Pichincha", rest_start="06/12/2026",
        rest_end="06/12/2026", rest_days="1", issued_on="06/12/2026"), -1)
    done = factories.due_in(factories.submitted(ana, rest_start="07/12/2026",
                                                rest_end="07/12/2026", rest_days="1",
                                                issued_on="07/12/2026"), -5)
    Certificate.objects.filter(pk=done.pk).update(status=Certificate.Status.VALIDATED)
    return {"late3": late3, "later": later, "late1": late1, "done": done}


def refs(*certs) -> list[str]:
    return [c.case.reference for c in certs]


# --- the queue ------------------------------------------------------------------------------

def test_r_cer_05_the_queue_is_by_due_date_with_overdue_marked_and_the_counts(validator,
                                                                              queue3):
    response = signed_in(validator).get(QUEUE)
    assert response.status_code == 200
    html = response.content.decode()
    assert listed(html) == refs(queue3["late3"], queue3["late1"], queue3["later"])
    assert html.count("Overdue, 3 days late") == 1
    assert html.count("Overdue, 1 day late") == 1
    assert "days late" not in html.split(queue3["later"].case.reference)[-1].split("</tr>")[0]
    assert text_of(html, "count-waiting") == "3"
    assert text_of(html, "count-overdue") == "2"
    oldest = get_pack("EC").today() - timedelta(days=3)
    with translation.override("en"):
        assert text_of(html, "oldest-due") == day_text(oldest)
    entry = AuditEntry.objects.get(action="certificate.queue.view")
    assert (entry.actor, entry.object_id, entry.details["count"]) == (validator, "EC", 3)


@pytest.mark.parametrize("query, expected", [
    ("tipo=accident", ["later"]),
    ("centro=pichin", ["late1"]),
    ("centro=PICHINCHA", ["late1"]),
    ("vencidos=on", ["late3", "late1"]),
    ("estado=validated", ["done"]),
    ("estado=returned", []),
    ("tipo=illness&vencidos=on&centro=merced", ["late3"]),
], ids=["kind", "centre", "centre-any-case", "overdue-only", "validated", "returned",
        "together"])
def test_the_queue_filters_by_kind_centre_status_and_overdue(validator, queue3, query,
                                                             expected):
    response = signed_in(validator).get(f"{QUEUE}?{query}")
    assert response.status_code == 200
    assert listed(response.content.decode()) == refs(*(queue3[k] for k in expected))


def test_the_filters_ride_on_the_links_to_each_certificate(validator, queue3):
    html = signed_in(validator).get(f"{QUEUE}?tipo=accident").content.decode()
    assert f'href="{page_of(queue3["later"])}?tipo=accident"' in html


def test_a_filter_out_of_the_list_is_an_error_and_the_default_queue_shows(validator, queue3):
    response = signed_in(validator).get(f"{QUEUE}?estado=archived&tipo=cold")
    assert response.status_code == 422
    html = response.content.decode()
    assert 'href="#id_estado"' in html and "Choose a status from the list" in html
    assert "Choose a kind of certificate from the list" in html
    assert listed(html) == refs(queue3["late3"], queue3["late1"], queue3["later"])


def test_the_queue_pages_by_position_not_by_count(validator, queue3, monkeypatch):
    from ventanilla.channels.staff import views_certificates

    monkeypatch.setattr(views_certificates, "PAGE_SIZE", 2)
    client = signed_in(validator)
    first = client.get(f"{QUEUE}?vencidos=").content.decode()
    assert listed(first) == refs(queue3["late3"], queue3["late1"])
    after = queue3["late1"].case.reference
    assert f'href="/staff/certificados/?despues={after}"' in first
    assert 'rel="prev"' not in first
    second = client.get(f"{QUEUE}?despues={after}").content.decode()
    assert listed(second) == refs(queue3["later"])
    assert 'rel="next"' not in second
    before = queue3["later"].case.reference
    assert f'href="/staff/certificados/?antes={before}"' in second
    back = client.get(f"{QUEUE}?antes={before}").content.decode()
    assert listed(back) == refs(queue3["late3"], queue3["late1"])


def test_the_keyset_pages_of_the_selector(ana, queue3):
    from ventanilla.certificates.selectors import QueueFilters, queue_page

    today = get_pack("EC").today()
    page = queue_page("EC", QueueFilters(), today=today, size=1)
    assert (refs(*page.rows), page.before) == (refs(queue3["late3"]), "")
    page = queue_page("EC", QueueFilters(), today=today, after=page.after, size=1)
    assert (refs(*page.rows), page.before, page.after) == (
        refs(queue3["late1"]), queue3["late1"].case.reference, queue3["late1"].case.reference)
    last = queue_page("EC", QueueFilters(), today=today, after=page.after, size=1)
    assert (refs(*last.rows), last.after) == (refs(queue3["later"]), "")
    unknown = queue_page("EC", QueueFilters(), today=today, after="EC-NOTAREF", size=1)
    assert refs(*unknown.rows) == refs(queue3["late3"])


def test_a_validator_sees_only_their_countrys_queue(queue3):
    peru = factories.validator("validador.pe", "PE")
    html = signed_in(peru).get(QUEUE).content.decode()
    assert listed(html) == []
    assert text_of(html, "count-waiting") == "0"
    assert 'name="pais"' not in html


def test_a_national_validator_chooses_the_country(queue3):
    national = factories.validator("validador.nacional", "")
    client = signed_in(national)
    html = client.get(QUEUE).content.decode()
    assert 'name="pais"' in html
    assert len(listed(html)) == 3     # the first country, Ecuador, by default
    assert listed(client.get(f"{QUEUE}?pais=PE").content.decode()) == []


# --- one certificate ------------------------------------------------------------------------

def test_r_cer_03_the_certificate_page_shows_the_scan_fields_findings_and_history(
        validator, ana, queue3):
    overlapping = factories.due_in(factories.submitted(
        ana, rest_start="03/12/2026", rest_end="04/12/2026", rest_days="2",
        issued_on="03/12/2026"), 1)
    response = signed_in(validator).get(page_of(overlapping))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Certificate {overlapping.case.reference}" in html
    assert "J06.9</strong> · Acute upper respiratory infection, unspecified" in html
    assert (f"These days overlap certificate {queue3['late3'].case.reference} (1 December 2026 "
            "to 3 December 2026) of the same person.") in html
    assert "In the registry: Ana Paz Vera" in html
    assert "PDF, 1 page" in html and "Download the document" in html
    assert "Certificate submitted for validation" in html          # the case's history
    for item in ("The doctor&#x27;s letterhead", "Typed, not handwritten",
                 "No amendments, crossings-out or corrections"):
        assert item in html
    assert "The apostille of the country of issue" not in html     # issued in Ecuador
    assert 'data-shortcut="v"' in html and "js/desk-shortcuts" in html
    assert AuditEntry.objects.filter(action="certificate.view_certificate", actor=validator,
                                     object_id=str(overlapping.public_id)).count() == 1


def test_r_cer_04_a_late_certificate_shows_the_persons_justification(validator, ana):
    late = factories.submitted(ana, issued_on="02/11/2026", rest_start="02/11/2026",
                               rest_end="04/11/2026",
                               late_reason="Estuve hospitalizada y no pude hacerlo antes.")
    html = signed_in(validator).get(page_of(late)).content.decode()
    assert "Submitted after the deadline (16 November 2026), with a justification." in html
    assert text_of(html, "late-reason") == "Estuve hospitalizada y no pude hacerlo antes."


def test_r_cer_05_from_abroad_the_checklist_asks_for_the_apostille_and_translation(
        validator, ana):
    abroad = factories.submitted(ana, issued_country="US", issued_place="Miami",
                                 language="en", files={
                                     "scan": Upload(png_bytes(), "cert.png"),
                                     "apostille": Upload(png_bytes(), "apostilla.png"),
                                     "translation": Upload(png_bytes(), "traduccion.png")})
    html = signed_in(validator).get(page_of(abroad)).content.decode()
    assert "The apostille of the country of issue" in html
    assert "The official translation, when it is not in Spanish" in html
    assert html.count('class="govuk-!-width-full" src="/staff/certificados/') == 3
    assert "From abroad" in html


def test_a_scan_is_served_with_the_stored_file_headers_and_audited(validator, ana):
    cert = factories.submitted(ana, files={"scan": Upload(png_bytes(), "foto.png")})
    f = cert.files.get()
    client = signed_in(validator)
    html = client.get(page_of(cert)).content.decode()
    url = f"{page_of(cert)}archivos/{f.public_id}/"
    assert f'<img class="govuk-!-width-full" src="{url}"' in html
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"
    entry = AuditEntry.objects.get(action="certificate.view_file")
    assert (entry.actor, entry.details["file"], entry.details["role"],
            entry.details["reference"]) == (validator, str(f.public_id), "scan",
                                            cert.case.reference)


def test_a_pdf_scan_downloads(validator, ana):
    cert = factories.submitted(ana)
    f = cert.files.get()
    response = signed_in(validator).get(f"{page_of(cert)}archivos/{f.public_id}/")
    assert response["Content-Disposition"] == (
        f'attachment; filename="{cert.case.reference}-scan.pdf"')


def test_r_cer_05_another_countrys_certificate_and_file_answer_404(ana):
    cert = factories.submitted(ana)
    peru = signed_in(factories.validator("validador.pe", "PE"))
    assert peru.get(page_of(cert)).status_code == 404
    assert peru.get(f"{page_of(cert)}archivos/{cert.files.get().public_id}/").status_code == 404
    response = peru.post(f"{page_of(cert)}validar/", {"validar-checklist": ["letterhead"]})
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action__startswith="certificate.view").exists()


def test_an_unknown_reference_or_file_answers_404(validator, ana):
    cert = factories.submitted(ana)
    client = signed_in(validator)
    assert client.get("/staff/certificados/EC-NOTAREF/").status_code == 404
    assert client.get(f"{page_of(cert)}archivos/00000000-0000-0000-0000-000000000000/"
                      ).status_code == 404
    assert client.post(f"{page_of(cert)}archivar/").status_code == 404


# --- who may open the desk ------------------------------------------------------------------

@pytest.mark.parametrize("role, status", [
    ("validator", 200), ("reviewer", 403), ("operator", 403), ("agent", 403),
    ("clinician", 403), ("administrator", 403)])
def test_the_desk_is_for_validators(ana, role, status):
    from ventanilla.accounts.roles import Role
    from ventanilla.accounts.services import staff_create

    cert = factories.submitted(ana)
    user = staff_create(username=f"u.{role}", password=factories.PASSWORD, role=Role(role),
                        country="EC")
    client = signed_in(user)
    assert client.get(QUEUE).status_code == status
    assert client.get(page_of(cert)).status_code == status
    assert client.get(f"{page_of(cert)}archivos/{cert.files.get().public_id}/"
                      ).status_code == status
    decided = client.post(f"{page_of(cert)}devolver/", {"devolver-note": "Otra foto."})
    assert decided.status_code == (302 if status == 200 else status)
    nav = client.get("/staff/certificados/" if status == 200 else "/staff/visitas/")
    assert ('href="/staff/certificados/">Certificates</a>' in nav.content.decode()) == (
        status == 200)


def test_an_affiliate_or_nobody_is_sent_to_the_staff_sign_in(ana):
    cert = factories.submitted(ana)
    for client in (Client(), signed_in(ana.user)):
        for url in (QUEUE, page_of(cert)):
            response = client.get(url)
            assert response.status_code == 302 and "/staff/entrar/" in response["Location"]


def test_a_validator_lands_on_the_queue(validator):
    response = signed_in(validator).get("/staff/")
    assert response.status_code == 302 and response["Location"] == QUEUE
