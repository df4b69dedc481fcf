"""The registration procedure through its services, as every channel drives it."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from conftest import PDF, VALID_EC, png_bytes
from ventanilla.cases.models import Case, CaseStatus
from ventanilla.core.channels import Channel
from ventanilla.core.errors import PermissionDenied, ValidationFailed
from ventanilla.core.models import AuditEntry
from ventanilla.people.models import Person
from ventanilla.registration import selectors, services
from ventanilla.registration.errors import (
    AlreadyRegistered,
    DecisionNotAllowed,
    EmailNotConfirmed,
    Incomplete,
    NotEditable,
)
from ventanilla.registration.models import Application

pytestmark = pytest.mark.django_db


def _review_all(app, reviewer, reject=()):
    for doc in app.documents.filter(is_current=True):
        services.document_review(document=doc, accept=doc.kind not in reject,
                                 reason="Ilegible" if doc.kind in reject else "",
                                 actor=reviewer)


def test_r_reg_02_online_application_from_start_to_registration_number(make_application,
                                                                        reviewer):
    app = make_application("EC", state="submitted")
    assert app.status == CaseStatus.SUBMITTED and app.case.status == CaseStatus.SUBMITTED
    _review_all(app, reviewer)
    services.application_approve(application=app, actor=reviewer)
    app.refresh_from_db()
    person = app.person
    assert app.status == CaseStatus.APPROVED
    assert person.id_number == "1710034065" and person.registration_number
    from ventanilla.countries.ec import EcuadorPack

    assert EcuadorPack().registration_number_is_valid(person.registration_number)
    assert person.registration_number.startswith(f"IESS-{timezone.now().year}-")
    # R-AFF-01: the approved registration becomes an affiliate of the chosen type
    affiliation = person.affiliations.get()
    assert (affiliation.affiliation_type, affiliation.number) == ("voluntary", "1710034065")
    from ventanilla.affiliation.selectors import coverage_for

    assert coverage_for(person, on=timezone.localdate()).covered
    codes = list(app.case.events.values_list("code", flat=True))
    assert codes[0] == "opened" and codes[-1] == "approved"
    assert "submitted" in codes and "review_started" in codes


def test_r_reg_02_peru_gets_its_own_number_format(make_application, reviewer):
    app = make_application("PE", state="submitted")
    _review_all(app, reviewer)
    services.application_approve(application=app, actor=reviewer)
    app.refresh_from_db()
    assert app.person.registration_number.startswith("PE-")


def test_r_reg_02_in_person_application_by_an_agent(agent):
    app = services.application_start(country="EC", channel=Channel.IN_PERSON, actor=agent)
    services.application_update(application=app, answers=VALID_EC, actor=agent)
    for kind in ("identity", "residence"):
        services.document_upload(application=app, kind=kind, data=PDF, filename="x.pdf",
                                 actor=agent)
    services.application_submit(application=app, declaration=True, actor=agent)
    app.refresh_from_db()
    assert app.channel == Channel.IN_PERSON and app.created_by == agent
    assert app.status == CaseStatus.SUBMITTED
    actions = set(AuditEntry.objects.filter(actor=agent).values_list("action", flat=True))
    assert {"application.create", "application.update", "document.upload",
            "application.submit"} <= actions


def test_r_reg_02_only_agents_register_in_person(reviewer):
    with pytest.raises(PermissionDenied):
        services.application_start(country="EC", channel=Channel.IN_PERSON, actor=reviewer)


def test_email_must_be_confirmed_before_uploading(make_application):
    app = make_application("EC", state="started")
    with pytest.raises(EmailNotConfirmed):
        services.document_upload(application=app, kind="identity", data=PDF, filename="a.pdf")


def test_email_code_is_single_use_and_limited(make_application, settings):
    from ventanilla.accounts import one_time
    from ventanilla.accounts.models import OneTimeSecret

    app = make_application("EC", state="started")
    code = one_time.code_issue(purpose=OneTimeSecret.Purpose.EMAIL_CODE,
                               subject=str(app.public_id),
                               ttl=timezone.timedelta(minutes=5))
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(settings.EMAIL_CODE_MAX_ATTEMPTS):
        with pytest.raises(ValidationFailed, match="not right"):
            services.application_confirm_email(application=app, code=wrong)
    with pytest.raises(ValidationFailed, match="Too many"):
        services.application_confirm_email(application=app, code=code)


def test_r_reg_03_submit_refused_while_documents_are_missing(make_application):
    app = make_application("EC", state="draft")
    services.document_upload(application=app, kind="identity", data=PDF, filename="id.pdf")
    with pytest.raises(Incomplete) as exc:
        services.application_submit(application=app, declaration=True)
    assert "document:residence" in exc.value.fields
    assert "document:identity" not in exc.value.fields
    assert "document:previous_card" not in exc.value.fields  # optional
    app.refresh_from_db()
    assert app.status == CaseStatus.DRAFT and app.submitted_at is None


def test_r_reg_03_foreigner_needs_residency_permit_and_translation(make_application):
    app = make_application("EC", answers={**VALID_EC, "id_type": "passport",
                                          "id_number": "X1234567", "nationality": "US",
                                          "documents_in_other_language": True})
    codes = [i.kind.code for i in selectors.application_checklist(app) if i.blocks_submission]
    assert codes == ["identity", "residence", "residency_permit", "translation"]


def test_r_reg_04_rejected_document_is_replaced_without_losing_the_rest(make_application,
                                                                         reviewer):
    app = make_application("EC", state="submitted")
    _review_all(app, reviewer, reject=("residence",))
    services.application_request_changes(application=app, actor=reviewer)
    app.refresh_from_db()
    assert app.status == CaseStatus.ACTION_REQUIRED
    identity_before = app.documents.get(kind="identity", is_current=True)
    with pytest.raises(NotEditable):
        services.document_upload(application=app, kind="identity", data=PDF, filename="x.pdf")
    services.document_upload(application=app, kind="residence", data=png_bytes(),
                             filename="bill.png")
    services.application_submit(application=app, declaration=True)
    app.refresh_from_db()
    assert app.status == CaseStatus.IN_REVIEW
    assert app.documents.get(kind="identity", is_current=True) == identity_before
    assert identity_before.status == "accepted"
    residence = app.documents.filter(kind="residence").order_by("created_at")
    assert [d.is_current for d in residence] == [False, True]
    assert residence[0].rejection_reason == "Ilegible"
    assert app.given_names == VALID_EC["given_names"]  # answers kept
    services.document_review(document=residence[1], accept=True, actor=reviewer)
    services.application_approve(application=app, actor=reviewer)


def test_r_reg_04_rejection_needs_a_reason(make_application, reviewer):
    app = make_application("EC", state="submitted")
    doc = app.documents.first()
    with pytest.raises(ValidationFailed) as exc:
        services.document_review(document=doc, accept=False, reason="  ", actor=reviewer)
    assert "reason" in exc.value.fields


def test_r_reg_04_approval_needs_every_required_document_accepted(make_application, reviewer):
    app = make_application("EC", state="submitted")
    with pytest.raises(DecisionNotAllowed):
        services.application_approve(application=app, actor=reviewer)
    _review_all(app, reviewer, reject=("identity",))
    with pytest.raises(DecisionNotAllowed):
        services.application_approve(application=app, actor=reviewer)
    assert not Person.objects.exists()


def test_only_reviewers_decide(make_application, agent):
    app = make_application("EC", state="submitted")
    with pytest.raises(PermissionDenied):
        services.document_review(document=app.documents.first(), accept=True, actor=agent)
    with pytest.raises(PermissionDenied):
        services.application_approve(application=app, actor=agent)


def test_r_reg_05_due_date_is_three_working_days_after_submission(make_application):
    app = make_application("PE", state="submitted")
    from ventanilla.countries.pe import PeruPack

    pack = PeruPack()
    today = timezone.localtime(timezone.now(), pack.tz).date()
    assert app.due_on == pack.add_working_days(today, 3)
    assert app.case.due_on == app.due_on


def test_r_reg_05_queue_is_oldest_due_first_and_marks_overdue(make_application):
    first = make_application("EC", state="submitted")
    second = make_application("PE", state="submitted")
    Application.objects.filter(pk=second.pk).update(due_on=date(2020, 1, 2))
    queue = list(selectors.review_queue())
    assert [a.pk for a in queue] == [second.pk, first.pk]
    assert selectors.is_overdue(queue[0]) and not selectors.is_overdue(queue[1])
    assert [a.pk for a in selectors.review_queue(overdue_only=True)] == [second.pk]
    assert [a.pk for a in selectors.review_queue(country="EC")] == [first.pk]


def test_duplicate_registration_of_the_same_id_in_the_same_country(make_application, reviewer):
    make_application("EC", state="submitted", email="a@example.com")
    other = make_application("EC", state="started", answers={
        k: v for k, v in VALID_EC.items() if k not in ("id_type", "id_number")},
        email="b@example.com")
    with pytest.raises(AlreadyRegistered) as exc:
        services.application_update(application=other, answers={"id_type": "cedula",
                                                                 "id_number": "1710034065"})
    assert "id_number" in exc.value.fields
    other.refresh_from_db()
    assert other.id_number == ""


def test_duplicate_blocked_by_the_database_when_two_drafts_race(make_application):
    a = make_application("EC", state="complete", email="a@example.com")
    b = make_application("EC", state="complete", email="b@example.com")  # same ID, both drafts
    services.application_submit(application=a, declaration=True)
    with pytest.raises(AlreadyRegistered):
        services.application_submit(application=b, declaration=True)
    b.refresh_from_db()
    assert b.status == CaseStatus.DRAFT


def test_same_id_may_register_in_another_country(make_application):
    make_application("EC", state="submitted")
    app = make_application("PE", state="submitted")  # different ID types anyway
    assert app.status == CaseStatus.SUBMITTED


def test_date_of_birth_in_the_future_is_refused_and_nothing_saved(make_application):
    app = make_application("EC", state="draft")
    with pytest.raises(ValidationFailed) as exc:
        services.application_update(application=app, answers={
            "date_of_birth": date(2099, 1, 1), "street": "Nueva 1"})
    assert set(exc.value.fields) == {"date_of_birth"}
    app.refresh_from_db()
    assert app.date_of_birth == VALID_EC["date_of_birth"] and app.street == VALID_EC["street"]


def test_r_reg_06_applicant_is_emailed_each_decision_over_smtp(make_application, reviewer,
                                                                smtp_server,
                                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        app = make_application("EC", state="submitted", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        _review_all(app, reviewer)
        services.application_approve(application=app, actor=reviewer)
    messages = smtp_server.wait_for(3)
    subjects = [m["Subject"] for m in messages]
    assert subjects[0] == "Your confirmation code: " + subjects[0].rsplit(" ", 1)[-1]
    assert any(s.startswith("We received your application") for s in subjects)
    approved = next(m for m in messages if m["Subject"].startswith("You are registered"))
    assert approved["To"] == "ana@example.com"
    app.refresh_from_db()
    body = approved.get_body(("plain",)).get_content()
    assert app.person.registration_number in body
    assert body.startswith("Hello María José,")
    attachments = list(approved.iter_attachments())
    assert attachments[0].get_content_type() == "application/pdf"
    assert attachments[0].get_content()[:5] == b"%PDF-"


def test_r_lng_01_decision_email_in_spanish_by_default(make_application, reviewer, smtp_server,
                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        app = make_application("PE", state="submitted", language="es")
    with django_capture_on_commit_callbacks(execute=True):
        services.application_reject(application=app, reason="Documento vencido",
                                    actor=reviewer)
    messages = smtp_server.wait_for(3)
    rejected = messages[-1]
    assert rejected["Subject"] == f"Su solicitud {app.case.reference} no fue aprobada"
    assert "Documento vencido" in rejected.get_body(("plain",)).get_content()


def test_staff_reads_and_changes_are_audited(make_application, reviewer):
    app = make_application("EC", state="submitted")
    services.application_open_for_review(application=app, actor=reviewer)
    _review_all(app, reviewer)
    entries = AuditEntry.objects.filter(actor=reviewer)
    assert entries.filter(action="application.view").exists()
    assert entries.filter(action="document.accept").count() == 2
    assert all(e.subject_ref == "EC:cedula:1710034065" for e in entries)


def test_audit_entries_cannot_be_changed_or_deleted(make_application, reviewer):
    app = make_application("EC", state="submitted")
    services.application_open_for_review(application=app, actor=reviewer)
    entry = AuditEntry.objects.first()
    entry.action = "nothing"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    from django.db import connection, transaction
    from django.db.utils import DatabaseError

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE core_auditentry SET action = 'x'")


def test_card_pdf_has_a_qr_code_with_the_verification_link(make_application, reviewer):
    from ventanilla.registration.card import card_pdf, card_qr_svg, verification_url

    app = make_application("EC", state="submitted")
    _review_all(app, reviewer)
    services.application_approve(application=app, actor=reviewer)
    person = Person.objects.get()
    url = verification_url(person)
    assert url.endswith(f"/verificar/{person.verification_code}/")
    assert "<svg" in card_qr_svg(person)
    pdf = card_pdf(person)
    assert pdf[:5] == b"%PDF-" and len(pdf) > 1000
    assert Case.objects.get().person == person


def test_staff_of_one_country_do_not_act_on_another_countrys_applications(make_application):
    from conftest import _staff

    app = make_application("PE", state="submitted")
    ecuador = _staff("rev.ec", "reviewer", "EC")
    with pytest.raises(PermissionDenied):
        services.application_open_for_review(application=app, actor=ecuador)
    with pytest.raises(PermissionDenied):
        services.document_review(document=app.documents.first(), accept=True, actor=ecuador)
    with pytest.raises(PermissionDenied):
        services.application_start(country="PE", channel=Channel.IN_PERSON,
                                   actor=_staff("agent.ec", "agent", "EC"))
    national = _staff("rev.all", "reviewer")
    services.application_open_for_review(application=app, actor=national)


def test_r_id_03_foreign_resident_keeps_the_visa_reference(make_application, reviewer):
    app = make_application("EC", state="draft", answers={
        **VALID_EC, "id_type": "passport", "id_number": "X1234567", "nationality": "US",
        "residency_document": "  VR-2024-\x00000123 "})
    for kind in ("identity", "residence", "residency_permit"):
        services.document_upload(application=app, kind=kind, data=PDF, filename="d.pdf")
    services.application_submit(application=app, declaration=True)
    for doc in app.documents.all():
        services.document_review(document=doc, accept=True, actor=reviewer)
    services.application_approve(application=app, actor=reviewer)
    person = Person.objects.get()
    assert person.residency_document == "VR-2024-000123"
    assert person.nationality == "US" and person.id_type == "passport"


def test_resume_links_only_for_unfinished_applications_of_that_address(
        make_application, django_capture_on_commit_callbacks):
    from django.core import mail

    draft = make_application("EC", state="draft", email="ana@example.com")
    make_application("PE", state="submitted", email="ana@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.application_send_resume_links(email=" ANA@example.com ") == 1
        assert services.application_send_resume_links(email="nobody@example.com") == 0
        assert services.application_send_resume_links(
            email="ana@example.com", reference="EC-00000000X") == 0
    assert [m.to for m in mail.outbox if "continuar" in m.body] == [["ana@example.com"]]
    assert draft.case.reference in mail.outbox[-1].subject


@pytest.mark.parametrize("content_type", ["text/html", "image/svg+xml", "image/heic"])
def test_the_database_refuses_a_document_stored_as_anything_a_browser_could_run(
        make_application, content_type):
    from django.db import IntegrityError, transaction

    app = make_application("EC", state="complete")
    doc = app.documents.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        type(doc).objects.filter(pk=doc.pk).update(content_type=content_type)
