"""The online registration and the back office through the web pages (Django test client;
browser tests with axe live in tests/e2e)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import PDF
from ventanilla.cases.models import CaseStatus
from ventanilla.core.models import AuditEntry
from ventanilla.registration.models import Application

pytestmark = pytest.mark.django_db


def code_from_outbox() -> str:
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].subject).group(1)


def walk_to_tasks(client, country="EC", email="ana@example.com",
                  django_capture_on_commit_callbacks=None):
    r = client.post("/registro/", {"country": country})
    assert r.status_code == 302 and r["Location"] == f"/registro/{country}/correo/"
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/registro/{country}/correo/", {"email": email})
    assert r["Location"] == "/solicitud/codigo/"
    r = client.post("/solicitud/codigo/", {"code": code_from_outbox()})
    assert r["Location"] == "/solicitud/"
    return Application.objects.get(email=email)


ANSWERS_EC = [
    ("nombre", {"given_names": "María José", "family_names": "Guamán"}),
    ("fecha-de-nacimiento", {"date_of_birth_day": "12", "date_of_birth_month": "4",
                             "date_of_birth_year": "1988"}),
    ("nacionalidad", {"nationality": "EC"}),
    ("tipo-de-documento", {"id_type": "cedula"}),
    ("numero-de-documento", {"id_number": "1710034065"}),
    ("celular", {"mobile_phone": "099 123 4567"}),
    ("lugar-1", {"place": "17"}),
    ("lugar-2", {"place": "1701"}),
    ("lugar-3", {"place": "170150"}),
    ("calle", {"street": "Av. Amazonas N24-03"}),
    ("situacion", {"has_previous_health_card": "", "documents_in_other_language": ""}),
    ("tipo-de-afiliacion", {"affiliation_type": "voluntary"}),
]


def test_r_reg_02_online_registration_through_the_pages(django_capture_on_commit_callbacks):
    client = Client()
    assert client.get("/").status_code == 200
    app = walk_to_tasks(client, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    r = client.get("/solicitud/")
    assert "Pendiente" in r.content.decode() or "Pending" in r.content.decode()
    for slug, data in ANSWERS_EC:
        assert client.get(f"/solicitud/preguntas/{slug}/").status_code == 200
        r = client.post(f"/solicitud/preguntas/{slug}/", data)
        assert r.status_code == 302, (slug, r.content.decode()[:3000])
    app.refresh_from_db()
    assert app.mobile_phone == "+593991234567" and app.subdivision_code == "170150"
    assert app.date_of_birth.isoformat() == "1988-04-12"
    assert client.get("/solicitud/documentos/").status_code == 200
    for kind in ("identity", "residence"):
        assert client.get(f"/solicitud/documentos/{kind}/").status_code == 200
        r = client.post(f"/solicitud/documentos/{kind}/",
                        {"file": SimpleUploadedFile(f"{kind}.pdf", PDF)})
        assert r.status_code == 302
    r = client.get("/solicitud/revisar/")
    assert r.status_code == 200 and "Guamán" in r.content.decode()
    assert client.get("/solicitud/declaracion/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/solicitud/declaracion/", {"declaration": "on"})
    assert r["Location"] == "/solicitud/confirmacion/"
    r = client.get("/solicitud/confirmacion/")
    app.refresh_from_db()
    assert app.status == CaseStatus.SUBMITTED
    assert app.case.reference in r.content.decode()


def test_form_errors_are_422_with_summary_and_inline_message(django_capture_on_commit_callbacks):
    client = Client()
    walk_to_tasks(client, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    client.post("/solicitud/preguntas/tipo-de-documento/", {"id_type": "cedula"})
    r = client.post("/solicitud/preguntas/numero-de-documento/", {"id_number": "1710034066"},
                    HTTP_ACCEPT_LANGUAGE="en")
    html = r.content.decode()
    assert r.status_code == 422
    assert "govuk-error-summary" in html and "govuk-error-message" in html
    assert html.count("the last digit does not match") >= 2  # summary + inline
    assert "<title>Error:" in html or "<title>\nError:" in html or "Error:" in html.split(
        "</title>")[0]


def test_fake_pdf_upload_keeps_other_answers(django_capture_on_commit_callbacks):
    client = Client()
    app = walk_to_tasks(client, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    client.post("/solicitud/preguntas/nombre/", {"given_names": "Ana", "family_names": "Paz"})
    r = client.post("/solicitud/documentos/identity/",
                    {"file": SimpleUploadedFile("id.pdf", b"not really a pdf")})
    assert r.status_code == 422
    app.refresh_from_db()
    assert app.given_names == "Ana" and not app.documents.exists()


def test_resume_link_returns_to_the_unfinished_application(django_capture_on_commit_callbacks):
    client = Client()
    app = walk_to_tasks(client, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    other = Client()
    assert other.get("/solicitud/").status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        r = other.post("/solicitud/continuar/", {"email": "ana@example.com"})
    assert r.status_code == 200
    assert app.case.reference in mail.outbox[-1].subject
    link = re.search(r"(/solicitud/continuar/[^/\s]+/)", mail.outbox[-1].body).group(1)
    assert other.get(link)["Location"] == "/solicitud/"
    assert other.get("/solicitud/").status_code == 200
    assert Client().get(link).status_code == 410  # single use


def test_case_lookup_page(make_application):
    app = make_application("EC", state="submitted")
    client = Client()
    r = client.post("/tramites/", {"reference": app.case.reference, "id_number": "1710034065"})
    assert r.status_code == 200 and app.case.reference in r.content.decode()
    r = client.post("/tramites/", {"reference": app.case.reference, "id_number": "0926687856"})
    assert r.status_code == 404


def test_reviewer_queue_review_and_approval_pages(make_application, reviewer):
    app = make_application("EC", state="submitted")
    client = Client()
    r = client.post("/staff/entrar/", {"username": "rev", "password": "Staff-password-123"})
    assert r.status_code == 302
    r = client.get("/staff/cola/")
    assert r.status_code == 200 and app.case.reference in r.content.decode()
    r = client.get(f"/staff/solicitudes/{app.public_id}/")
    assert r.status_code == 200
    for doc in app.documents.all():
        r = client.get(f"/staff/solicitudes/{app.public_id}/archivos/{doc.public_id}/")
        assert r.status_code == 200 and b"".join(r.streaming_content)[:5] == b"%PDF-"
        r = client.post(f"/staff/solicitudes/{app.public_id}/documentos/{doc.kind}/decidir/",
                        {f"{doc.kind}-decision": "accept", f"{doc.kind}-reason": ""})
        assert r.status_code == 302
    r = client.post(f"/staff/solicitudes/{app.public_id}/approve/")
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.status == CaseStatus.APPROVED
    assert AuditEntry.objects.filter(actor=reviewer, action="document.view").count() == 2
    assert AuditEntry.objects.filter(actor=reviewer, action="queue.view").exists()


def test_reject_document_without_reason_shows_the_error(make_application, reviewer):
    app = make_application("EC", state="submitted")
    client = Client()
    client.force_login(reviewer)
    r = client.post(f"/staff/solicitudes/{app.public_id}/documentos/identity/decidir/",
                    {"identity-decision": "reject", "identity-reason": ""})
    assert r.status_code == 422
    assert "govuk-error-summary" in r.content.decode()


def test_agent_registers_at_the_counter_with_the_same_pages(agent):
    client = Client()
    client.force_login(agent)
    r = client.post("/staff/mostrador/", {"country": "EC", "email": ""})
    assert r["Location"] == "/solicitud/"
    assert client.get("/solicitud/").status_code == 200  # no e-mail code at the counter
    app = Application.objects.get()
    assert app.channel == "in_person" and app.created_by == agent


def test_staff_pages_need_sign_in_and_permission(agent):
    assert Client().get("/staff/cola/")["Location"].startswith("/staff/entrar/")
    client = Client()
    client.force_login(agent)
    assert client.get("/staff/cola/").status_code == 403


def test_sign_in_locks_after_repeated_failures(reviewer):
    client = Client()
    codes = [client.post("/staff/entrar/", {"username": "rev", "password": "wrong"}).status_code
             for _ in range(6)]
    assert codes[:4] == [422] * 4 and codes[-1] == 429
    r = client.post("/staff/entrar/", {"username": "rev", "password": "Staff-password-123"})
    assert r.status_code == 429


def test_card_verification_page(make_application, reviewer):
    from ventanilla.registration import services

    app = make_application("EC", state="submitted")
    for doc in app.documents.all():
        services.document_review(document=doc, accept=True, actor=reviewer)
    services.application_approve(application=app, actor=reviewer)
    app.refresh_from_db()
    r = Client().get(f"/verificar/{app.person.verification_code}/")
    assert r.status_code == 200 and app.person.registration_number in r.content.decode()
    assert Client().get("/verificar/not-a-code/").status_code == 404


def test_admin_reads_of_personal_data_are_audited(make_application, administrator):
    app = make_application("EC", state="submitted")
    client = Client()
    client.force_login(administrator)
    assert client.get("/admin/registration/application/").status_code == 200
    assert client.get(f"/admin/registration/application/{app.pk}/change/").status_code == 200
    actions = list(AuditEntry.objects.filter(actor=administrator)
                   .values_list("action", "subject_ref"))
    assert ("admin.list", "") in actions
    assert ("admin.view", "EC:cedula:1710034065") in actions


def test_agent_reading_a_counter_application_is_audited(agent):
    client = Client()
    client.force_login(agent)
    client.post("/staff/mostrador/", {"country": "EC", "email": ""})
    client.get("/solicitud/")
    assert AuditEntry.objects.filter(actor=agent, action="application.view").exists()


def test_error_summary_is_titled_there_is_a_problem(django_capture_on_commit_callbacks):
    client = Client()
    walk_to_tasks(client, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    r = client.post("/solicitud/preguntas/fecha-de-nacimiento/", {})
    html = r.content.decode()
    assert r.status_code == 422
    summary = html.split('govuk-error-summary__title">')[1].split("<")[0]
    assert summary.strip() == "Hay un problema"
    assert html.split("<title>")[1].split("</title>")[0].strip().startswith("Error:")


def test_r_reg_04_applicant_replaces_the_rejected_document_from_the_emailed_link(
        make_application, reviewer, django_capture_on_commit_callbacks):
    from ventanilla.registration import services

    app = make_application("EC", state="submitted")
    for doc in app.documents.all():
        services.document_review(document=doc, accept=doc.kind != "residence",
                                 reason="Tiene más de 3 meses", actor=reviewer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_request_changes(application=app, actor=reviewer)
    link_mail = next(m for m in mail.outbox if "/solicitud/continuar/" in m.body)
    link = re.search(r"(/solicitud/continuar/[^/\s]+/)", link_mail.body).group(1)
    client = Client()
    assert client.get(link)["Location"] == "/solicitud/"
    page = client.get("/solicitud/documentos/").content.decode()
    assert "Tiene más de 3 meses" in page
    assert client.get("/solicitud/documentos/identity/").status_code == 200
    r = client.post("/solicitud/documentos/identity/",
                    {"file": SimpleUploadedFile("id.pdf", PDF)})
    assert r.status_code == 422  # an accepted document is not replaced
    r = client.post("/solicitud/documentos/residence/",
                    {"file": SimpleUploadedFile("bill.pdf", PDF)})
    assert r.status_code == 302
    r = client.post("/solicitud/revisar/")
    assert r["Location"] == "/solicitud/confirmacion/"
    app.refresh_from_db()
    assert app.status == CaseStatus.IN_REVIEW
    assert app.documents.filter(kind="residence").count() == 2
    assert app.documents.get(kind="identity").status == "accepted"
    staff = Client()
    staff.force_login(reviewer)
    page = staff.get(f"/staff/solicitudes/{app.public_id}/").content.decode()
    assert "Tiene más de 3 meses" in page  # the rejected file stays visible as history


def test_reviewer_sees_only_their_countrys_queue_and_applications(make_application):
    from conftest import _staff

    pe = make_application("PE", state="submitted")
    ec = make_application("EC", state="submitted")
    client = Client()
    client.force_login(_staff("rev.ec", "reviewer", "EC"))
    queue = client.get("/staff/cola/?country=PE").content.decode()
    assert ec.case.reference in queue and pe.case.reference not in queue
    assert client.get(f"/staff/solicitudes/{pe.public_id}/").status_code == 404
    assert client.get(f"/api/v1/registrations/{pe.case.reference}").status_code == 404


def test_pages_of_a_session_warn_before_it_ends_and_it_can_be_kept(
        django_capture_on_commit_callbacks):
    client = Client()
    assert 'id="session-timeout"' not in client.get("/").content.decode()  # nobody signed in
    walk_to_tasks(client, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    html = client.get("/solicitud/").content.decode()
    assert 'id="session-timeout"' in html and 'data-expires-in="3600"' in html
    r = client.post("/sesion/seguir/", {"next": "/solicitud/"}, HTTP_ACCEPT="application/json")
    assert r.json() == {"expires_in": 3600}
    r = client.post("/sesion/seguir/", {"next": "https://evil.example/"})
    assert r["Location"] == "/"
