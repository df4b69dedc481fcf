"""The validators' desk, deciding (R-CER-01, R-CER-03, R-CER-05): validate with every tick
of the checklist, reject with every reason, send back for a correction; each through its
form (CSRF), with the error at the top when refused, and the next certificate waiting in
the same filtered queue opened after it."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from ventanilla.cases.models import CaseStatus
from ventanilla.certificates.models import Certificate
from ventanilla.certificates.tests import factories
from ventanilla.core.models import AuditEntry

pytestmark = pytest.mark.django_db

ALL_CHECKS = ["letterhead", "typed", "stamp", "no_amendments", "legible"]
NEXT_ONE = "This is the next certificate waiting."
NONE_LEFT = "No more certificates are waiting in this queue."


def signed_in(user, **options) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en", **options)
    client.force_login(user)
    return client


def page_of(cert) -> str:
    return f"/staff/certificados/{cert.case.reference}/"


def summary(html: str) -> str:
    """The error summary's links and texts, in one line."""
    m = re.search(r'class="govuk-error-summary".*?</ul>', html, re.S)
    return " ".join(m.group(0).split()) if m else ""


def banner(html: str) -> str:
    m = re.search(r'govuk-notification-banner__content">\s*<p[^>]*>(.*?)</p>', html, re.S)
    return " ".join(m.group(1).split()) if m else ""


@pytest.fixture
def ana(make_affiliate):
    return make_affiliate()


@pytest.fixture
def validator(db):
    return factories.validator()


@pytest.fixture
def waiting(ana):
    """Three certificates waiting, the most urgent first: an illness due yesterday, an
    accident due today, an illness due tomorrow."""
    first = factories.due_in(factories.submitted(ana), -1)
    accident = factories.due_in(factories.submitted(
        ana, kind="accident", rest_start="04/12/2026", rest_end="05/12/2026", rest_days="2",
        issued_on="04/12/2026"), 0)
    last = factories.due_in(factories.submitted(
        ana, rest_start="06/12/2026", rest_end="06/12/2026", rest_days="1",
        issued_on="06/12/2026"), 1)
    return [first, accident, last]


def status_of(cert) -> str:
    return Certificate.objects.get(pk=cert.pk).status


# --- validate -------------------------------------------------------------------------------

def test_r_cer_01_validating_with_every_tick_opens_the_next_one_waiting(validator, waiting):
    first, accident, _last = waiting
    client = signed_in(validator)
    response = client.post(f"{page_of(first)}validar/", {"validar-checklist": ALL_CHECKS})
    assert response.status_code == 302
    assert response["Location"] == page_of(accident)
    assert status_of(first) == Certificate.Status.VALIDATED
    html = client.get(response["Location"]).content.decode()
    assert banner(html) == f"Certificate {first.case.reference} is validated. {NEXT_ONE}"
    assert AuditEntry.objects.filter(action="certificate.validate", actor=validator).count() == 1


def test_r_cer_01_a_missing_tick_is_refused_at_the_top_linking_to_the_checklist(validator,
                                                                                waiting):
    first = waiting[0]
    response = signed_in(validator).post(f"{page_of(first)}validar/",
                                         {"validar-checklist": ["letterhead", "typed"]})
    assert response.status_code == 422
    html = response.content.decode()
    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in summary(html)
    assert ('<a href="#id_validar-checklist_0">Tick every check before validating, or reject '
            "or send it back: Every part legible, and the typed fields match the paper; No "
            "amendments, crossings-out or corrections; The doctor&#x27;s stamp with the "
            "registration code.</a>") in summary(html)
    assert html.startswith("<!DOCTYPE html>") and "<title>Error: Certificate" in html
    # what was ticked stays ticked
    assert re.search(r'value="letterhead"[^>]*checked', html)
    assert not re.search(r'value="stamp"[^>]*checked', html)
    assert status_of(first) == Certificate.Status.SUBMITTED
    # the refused attempt is a view of the page too
    assert AuditEntry.objects.filter(action="certificate.view_certificate").count() == 1


def test_r_cer_04_a_peruvian_25_day_rest_validated_at_the_desk_is_a_citt(make_affiliate):
    rosa = make_affiliate(country="PE", id_type="dni", id_number="45678912",
                          given_names="Rosa", family_names="Quispe Mamani",
                          mobile_phone="+51987654321")
    cert = factories.submitted(
        rosa, patient_names="Rosa Quispe Mamani", patient_id_number="45678912",
        doctor_registration="CMP 045123", establishment_phone="01 415 3000",
        issued_country="PE", issued_place="Lima", issued_on="20/11/2026",
        rest_start="20/11/2026", rest_end="14/12/2026", rest_days="25")
    client = signed_in(factories.validator("validador.pe", "PE"))
    response = client.post(f"{page_of(cert)}validar/", {"validar-checklist": ALL_CHECKS})
    assert response["Location"] == "/staff/certificados/"
    html = client.get(response["Location"]).content.decode()
    number = Certificate.objects.get(pk=cert.pk).official_number
    assert number and number.startswith("CITT-PE-")
    assert banner(html) == (f"Certificate {cert.case.reference} is validated. It became "
                            f"incapacity certificate {number}. {NONE_LEFT}")


# --- reject ---------------------------------------------------------------------------------

def test_r_cer_03_a_rejection_with_three_reasons_opens_the_next_one(validator, waiting):
    first, accident, _last = waiting
    response = signed_in(validator).post(f"{page_of(first)}rechazar/", {
        "rechazar-reasons": ["handwritten", "no_stamp", "other"],
        "rechazar-note": "La fecha está corregida a mano."})
    assert response["Location"] == page_of(accident)
    done = Certificate.objects.get(pk=first.pk)
    assert (done.status, done.rejection_reasons, done.decision_note) == (
        Certificate.Status.REJECTED, ["handwritten", "no_stamp", "other"],
        "La fecha está corregida a mano.")
    assert done.case.status == CaseStatus.REJECTED


@pytest.mark.parametrize("data, link, message", [
    ({}, "#id_rechazar-reasons_0", "Choose at least one reason."),
    ({"rechazar-reasons": ["other"]}, "#id_rechazar-note",
     "Write the other reason for the person."),
    ({"rechazar-reasons": ["made_up"]}, "#id_rechazar-reasons_0",
     "Choose the reasons from the list."),
], ids=["no-reason", "other-without-note", "not-in-the-list"])
def test_a_rejection_without_its_reasons_is_refused_at_the_top(validator, waiting, data, link,
                                                               message):
    first = waiting[0]
    response = signed_in(validator).post(f"{page_of(first)}rechazar/", data)
    assert response.status_code == 422
    assert f'<a href="{link}">{message}</a>' in summary(response.content.decode())
    assert status_of(first) == Certificate.Status.SUBMITTED


# --- send back ------------------------------------------------------------------------------

def test_r_cer_05_sending_back_tells_the_person_what_to_fix_and_opens_the_next(validator,
                                                                               waiting):
    first, accident, _last = waiting
    client = signed_in(validator)
    response = client.post(f"{page_of(first)}devolver/",
                           {"devolver-note": "La foto está borrosa: tómela de nuevo."})
    assert response["Location"] == page_of(accident)
    done = Certificate.objects.get(pk=first.pk)
    assert (done.status, done.decision_note) == (Certificate.Status.RETURNED,
                                                 "La foto está borrosa: tómela de nuevo.")
    html = client.get(response["Location"]).content.decode()
    assert banner(html) == (f"Certificate {first.case.reference} is sent back to the person "
                            f"for a correction. {NEXT_ONE}")


def test_sending_back_without_a_note_is_refused_at_the_top(validator, waiting):
    response = signed_in(validator).post(f"{page_of(waiting[0])}devolver/",
                                         {"devolver-note": "   "})
    assert response.status_code == 422
    assert ('<a href="#id_devolver-note">Write what the person must correct.</a>'
            in summary(response.content.decode()))


# --- the next one, in the same filtered queue ----------------------------------------------

def test_the_next_one_is_the_next_waiting_of_the_same_filtered_queue(validator, waiting):
    first, accident, last = waiting
    client = signed_in(validator)
    response = client.post(f"{page_of(first)}validar/?tipo=illness",
                           {"validar-checklist": ALL_CHECKS})
    assert response["Location"] == f"{page_of(last)}?tipo=illness"   # not the accident
    html = client.get(response["Location"]).content.decode()
    assert (f'action="{page_of(last)}validar/?tipo=illness"') in html
    assert 'href="/staff/certificados/?tipo=illness" class="govuk-back-link"' in html
    response = client.post(f"{page_of(last)}devolver/?tipo=illness",
                           {"devolver-note": "Falta el sello."})
    assert response["Location"] == "/staff/certificados/?tipo=illness"
    html = client.get(response["Location"]).content.decode()
    assert banner(html) == (f"Certificate {last.case.reference} is sent back to the person "
                            f"for a correction. {NONE_LEFT}")
    assert status_of(accident) == Certificate.Status.SUBMITTED


def test_skip_to_the_next_leaves_this_one_waiting(validator, waiting):
    first, accident, last = waiting
    html = signed_in(validator).get(page_of(accident)).content.decode()
    assert (f'href="{page_of(last)}" id="next-certificate" data-shortcut="n"') in html
    assert 'id="next-certificate"' not in signed_in(validator).get(page_of(last)
                                                                   ).content.decode()
    assert status_of(first) == Certificate.Status.SUBMITTED


def test_a_certificate_decided_meanwhile_says_so_at_the_top(validator, waiting):
    first = waiting[0]
    client = signed_in(validator)
    client.post(f"{page_of(first)}devolver/", {"devolver-note": "Falta el sello."})
    response = client.post(f"{page_of(first)}validar/", {"validar-checklist": ALL_CHECKS})
    assert response.status_code == 409
    html = response.content.decode()
    assert ("This certificate is not waiting for validation: it was decided or sent back "
            "already.") in summary(html)
    assert 'id="decision"' not in html and 'id="outcome"' in html
    assert status_of(first) == Certificate.Status.RETURNED


# --- CSRF -----------------------------------------------------------------------------------

def test_every_decision_needs_the_forms_csrf_token(validator, waiting):
    first = waiting[0]
    client = signed_in(validator, enforce_csrf_checks=True)
    forged = client.post(f"{page_of(first)}validar/", {"validar-checklist": ALL_CHECKS})
    assert forged.status_code == 403
    assert status_of(first) == Certificate.Status.SUBMITTED
    html = client.get(page_of(first)).content.decode()
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert len(tokens) >= 3    # the language switcher's, and one per outcome
    response = client.post(f"{page_of(first)}validar/", {"validar-checklist": ALL_CHECKS,
                                                         "csrfmiddlewaretoken": tokens[-1]})
    assert response.status_code == 302
    assert status_of(first) == Certificate.Status.VALIDATED
