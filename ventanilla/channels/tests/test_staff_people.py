"""The back office for people at the counter (issue 3): finding a person, their page, the
clave (R-AFF-04), blocked web accounts (R-APT-05), in-person cases (R-AFF-05) and the
foreign residents without coverage (R-ID-03). Browser tests with axe: tests/e2e."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client

from ventanilla.accounts import blocks
from ventanilla.accounts.clave import clave_set
from ventanilla.accounts.models import AccountBlock, OneTimeSecret
from ventanilla.cases.models import Case, CaseStatus
from ventanilla.cases.services import IN_PERSON_NOTICE
from ventanilla.core.models import AuditEntry

pytestmark = pytest.mark.django_db

# the clave code (XXXX-XXXX), not two all-digit groups inside a UUID in a URL
CODE = re.compile(r"(?<![0-9A-Za-z-])[0-9A-Z]{4}-[0-9A-Z]{4}(?![0-9A-Za-z-])")


def signed_in(user) -> Client:
    """A client of ``user``, reading the pages in English."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def page_of(person) -> str:
    return f"/staff/personas/{person.public_id}/"


@pytest.fixture
def peruvian(make_affiliate):
    return make_affiliate(country="PE", id_type="dni", id_number="10117410",
                          given_names="Rosa", family_names="Quispe Mamani",
                          affiliation_type="sis_para_todos", mobile_phone="+51912345678")


def audit_actions(user) -> list[tuple[str, str]]:
    return list(AuditEntry.objects.filter(actor=user).order_by("id")
                .values_list("action", "subject_ref"))


# --- access -----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/staff/personas/", "/staff/residentes-sin-cobertura/"])
def test_people_pages_need_sign_in(path):
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/entrar/")


@pytest.mark.parametrize("path", ["/staff/personas/", "/staff/residentes-sin-cobertura/"])
def test_reviewer_without_view_person_gets_403(reviewer, path):
    assert signed_in(reviewer).get(path).status_code == 403


def test_reviewer_gets_403_on_the_person_page(reviewer, make_affiliate):
    person = make_affiliate()
    assert signed_in(reviewer).get(page_of(person)).status_code == 403
    assert not AuditEntry.objects.filter(action="person.view").exists()


def test_navigation_links_for_staff_who_may_see_people(agent, reviewer):
    agent_page = signed_in(agent).get("/staff/mostrador/").content.decode()
    assert 'href="/staff/personas/"' in agent_page
    assert 'href="/staff/residentes-sin-cobertura/"' in agent_page
    reviewer_page = signed_in(reviewer).get("/staff/cola/").content.decode()
    assert 'href="/staff/personas/"' not in reviewer_page
    assert 'href="/staff/residentes-sin-cobertura/"' not in reviewer_page


@pytest.mark.parametrize("suffix,data", [
    ("", None),
    ("clave/", {"clave-identity_checked": "on"}),
    ("desbloquear/", {"unblock-reason": "Came with the cédula"}),
    ("bloquear/", {"block-detail": "Asked by the person"}),
    ("casos/", {"case-kind": "appeal", "case-description": "Appeal against a decision"}),
], ids=["view", "clave", "unblock", "block", "case"])
def test_person_of_another_country_is_404(agent, peruvian, suffix, data):
    client = signed_in(agent)
    path = page_of(peruvian) + suffix
    response = client.post(path, data) if data is not None else client.get(path)
    assert response.status_code == 404
    assert not OneTimeSecret.objects.exists()
    assert not AccountBlock.objects.exists()
    assert not Case.objects.filter(person=peruvian).exists()
    assert not AuditEntry.objects.filter(subject_ref=peruvian.subject_ref).exists()


def test_administrator_without_country_sees_any_country(administrator, peruvian):
    response = signed_in(administrator).get(page_of(peruvian))
    assert response.status_code == 200
    assert "Rosa Quispe Mamani" in response.content.decode()


# --- find -------------------------------------------------------------------------------------

def test_find_form_defaults_to_the_staff_members_country(agent):
    html = signed_in(agent).get("/staff/personas/").content.decode()
    assert '<option value="EC" selected>' in html
    assert 'value="PE"' not in html  # an Ecuadorian agent serves Ecuador only
    assert 'name="csrfmiddlewaretoken"' in html


def test_find_opens_the_persons_page_and_is_audited(agent, make_affiliate):
    person = make_affiliate()
    response = signed_in(agent).post("/staff/personas/", {
        "country": "EC", "id_type": "cedula", "id_number": " 1710034065 "})
    assert response.status_code == 302
    assert response["Location"] == page_of(person)
    entry = AuditEntry.objects.get(actor=agent, action="person.find")
    assert entry.subject_ref == "EC:cedula:1710034065"
    assert entry.object_id == str(person.public_id)
    assert entry.details == {"found": True}


def test_find_with_an_invalid_id_shows_the_error_summary_and_the_field(agent):
    response = signed_in(agent).post("/staff/personas/", {
        "country": "EC", "id_type": "cedula", "id_number": "1710034066"})
    html = response.content.decode()
    assert response.status_code == 422
    assert html.split("<title>")[1].strip().startswith("Error:")
    message = "This cédula number is not valid: the last digit does not match."
    summary = html.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    assert f'<a href="#id_id_number">{message}' in summary
    assert 'id="id_id_number_error"' in html
    assert not AuditEntry.objects.filter(action="person.find").exists()


def test_find_with_empty_answers_shows_what_to_enter(agent):
    response = signed_in(agent).post("/staff/personas/", {"country": "EC", "id_type": "cedula"})
    assert response.status_code == 422
    assert "Enter the identity document number" in response.content.decode()


def test_find_unknown_person_says_so_without_a_404_page(agent):
    response = signed_in(agent).post("/staff/personas/", {
        "country": "EC", "id_type": "cedula", "id_number": "0926687856"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "No person found" in html
    assert 'name="id_number"' in html  # the form is still there to search again
    entry = AuditEntry.objects.get(actor=agent, action="person.find")
    assert (entry.subject_ref, entry.details) == ("EC:cedula:0926687856", {"found": False})


def test_find_refuses_another_country_for_country_staff(agent, peruvian):
    response = signed_in(agent).post("/staff/personas/", {
        "country": "PE", "id_type": "dni", "id_number": "10117410"})
    assert response.status_code == 422
    assert "Location" not in response


# --- the person's page ------------------------------------------------------------------------

def test_person_page_shows_identity_affiliation_coverage_account_and_cases(agent,
                                                                           make_affiliate):
    person = make_affiliate(id_type="passport", id_number="AB123456", nationality="US",
                            residency_document="VR-2024-0099", given_names="John",
                            family_names="Smith", date_of_birth=date(1975, 6, 30),
                            email="john@example.com", mobile_phone="+593991112233",
                            affiliation_type="voluntary", starts_on=date(2020, 3, 1))
    response = signed_in(agent).get(page_of(person))
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("John Smith", "Passport", "AB123456", "30 June 1975", "United States",
                 "VR-2024-0099", "EC-TEST-AB123456", "john@example.com", "+593991112233",
                 person.affiliations.get().number, "Voluntary affiliation", "1 March 2020",
                 "Open (no end date)", "Not blocked", "Set: the person can sign in",
                 "This person has no cases."):
        assert text in html, text
    assert "no-store" in response["Cache-Control"]


def test_person_page_shows_a_lapsed_coverage_with_its_reason(agent, make_affiliate):
    person = make_affiliate(starts_on=date(2020, 1, 1), ends_on=date(2024, 12, 31),
                            with_clave=False)
    html = signed_in(agent).get(page_of(person)).content.decode()
    assert "Not covered" in html
    assert "31 December 2024" in html
    assert "Not set yet" in html


def test_every_read_of_the_person_page_is_audited(agent, make_affiliate):
    person = make_affiliate()
    client = signed_in(agent)
    client.get(page_of(person))
    client.get(page_of(person))
    entries = AuditEntry.objects.filter(actor=agent, action="person.view")
    assert entries.count() == 2
    assert {(e.subject_ref, e.object_id, e.channel) for e in entries} == {
        ("EC:cedula:1710034065", str(person.public_id), "in_person")}


def test_person_page_lists_the_persons_cases(agent, make_affiliate):
    from ventanilla.cases.services import case_open_in_person
    from ventanilla.core.channels import Channel

    person = make_affiliate()
    case = case_open_in_person(person=person, kind="benefit_denied",
                               description="Surgery refused", channel=Channel.PHONE)
    html = signed_in(agent).get(page_of(person)).content.decode()
    assert case.reference in html
    assert "Denied benefit" in html
    assert "Waiting for your visit to a service centre" in html


# --- clave (R-AFF-04) -------------------------------------------------------------------------

def test_r_aff_04_clave_refused_without_the_identity_check(agent, make_affiliate):
    person = make_affiliate(with_clave=False)
    response = signed_in(agent).post(page_of(person) + "clave/", {})
    html = response.content.decode()
    assert response.status_code == 422
    message = "Check the person&#x27;s identity document and tick the box before you issue a code"
    assert f'<a href="#id_clave-identity_checked">{message}</a>' in html
    assert 'id="id_clave-identity_checked_error"' in html
    assert not CODE.search(html.split('id="main-content"')[1])
    assert not OneTimeSecret.objects.exists()
    assert not AuditEntry.objects.filter(action="clave.issue").exists()


def test_r_aff_04_reviewer_gets_403_on_clave_issuance(reviewer, make_affiliate):
    person = make_affiliate(with_clave=False)
    response = signed_in(reviewer).post(page_of(person) + "clave/",
                                        {"clave-identity_checked": "on"})
    assert response.status_code == 403
    assert not OneTimeSecret.objects.exists()


def test_r_aff_04_clave_issuance_is_post_only(agent, make_affiliate):
    person = make_affiliate(with_clave=False)
    assert signed_in(agent).get(page_of(person) + "clave/").status_code == 405


def test_r_aff_04_code_shown_once_audited_and_usable(agent, make_affiliate):
    person = make_affiliate(with_clave=False)
    client = signed_in(agent)
    response = client.post(page_of(person) + "clave/", {"clave-identity_checked": "on"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    code = CODE.search(html.split('id="clave-code"')[1]).group(0)
    assert "Create your clave with a code" in html
    assert "/portal/clave/" in html
    assert "24 hours" in html

    # never again: not in the session, not on the person's page
    assert code not in str(dict(client.session.items()))
    assert code not in client.get(page_of(person)).content.decode()
    assert not OneTimeSecret.objects.filter(secret_hash__contains=code.replace("-", "")).exists()

    entry = AuditEntry.objects.get(actor=agent, action="clave.issue")
    assert (entry.subject_ref, entry.object_id) == (person.subject_ref, str(person.public_id))
    # the code on the page is the one the service stored: the person can use it
    user = clave_set(person=person, code=code, password="mi clave nueva 2026")
    assert user.check_password("mi clave nueva 2026")


def test_r_aff_04_clave_link_points_at_the_portal_page(agent, make_affiliate):
    from django.urls import NoReverseMatch, reverse

    try:
        expected = reverse("portal:clave_set")
    except NoReverseMatch:
        expected = "/portal/clave/"
    person = make_affiliate(with_clave=False)
    html = signed_in(agent).post(page_of(person) + "clave/",
                                 {"clave-identity_checked": "on"}).content.decode()
    assert f'href="http://testserver{expected}"' in html


def test_r_aff_04_clave_refused_for_a_person_not_registered(agent, make_affiliate):
    person = make_affiliate(with_clave=False)
    person.registration_number = None
    person.save(update_fields=["registration_number"])
    response = signed_in(agent).post(page_of(person) + "clave/", {"clave-identity_checked": "on"})
    assert response.status_code == 422
    assert "Only people registered with the health system get a clave." in (
        response.content.decode())
    assert not OneTimeSecret.objects.exists()


# --- web account (R-APT-05) -------------------------------------------------------------------

def test_r_apt_05_unblock_requires_reason_and_is_recorded(agent, make_affiliate):
    person = make_affiliate()
    blocks.account_block(person=person, cause=AccountBlock.Cause.NO_SHOWS)
    client = signed_in(agent)
    page = client.get(page_of(person)).content.decode()
    assert "Blocked" in page and "Missed appointments" in page

    response = client.post(page_of(person) + "desbloquear/", {"unblock-reason": "  "})
    assert response.status_code == 422
    assert '<a href="#id_unblock-reason">Enter the reason for unblocking</a>' in (
        response.content.decode())
    assert blocks.account_block_active(person) is not None

    reason = "Explained the no-show rule; showed the cédula"
    response = client.post(page_of(person) + "desbloquear/", {"unblock-reason": reason})
    assert response.status_code == 302 and response["Location"] == page_of(person)
    assert blocks.account_block_active(person) is None
    block = AccountBlock.objects.get(person=person)
    assert (block.unblock_reason, block.unblocked_by) == (reason, agent)
    entry = AuditEntry.objects.get(actor=agent, action="account.unblock")
    assert (entry.subject_ref, entry.details) == (person.subject_ref, {"reason": reason})

    page = client.get(page_of(person)).content.decode()
    assert "The web account is unblocked." in page
    assert "Earlier blocks" in page and reason in page


def test_r_apt_05_reviewer_cannot_unblock(reviewer, make_affiliate):
    person = make_affiliate()
    blocks.account_block(person=person, cause=AccountBlock.Cause.NO_SHOWS)
    response = signed_in(reviewer).post(page_of(person) + "desbloquear/",
                                        {"unblock-reason": "Because"})
    assert response.status_code == 403
    assert blocks.account_block_active(person) is not None


def test_r_apt_05_unblocking_an_account_that_is_not_blocked_says_so(agent, make_affiliate):
    person = make_affiliate()
    response = signed_in(agent).post(page_of(person) + "desbloquear/",
                                     {"unblock-reason": "Because"})
    assert response.status_code == 409
    assert "This account is not blocked." in response.content.decode()


def test_r_apt_05_staff_block_requires_a_reason_and_is_recorded(agent, make_affiliate):
    person = make_affiliate()
    client = signed_in(agent)
    response = client.post(page_of(person) + "bloquear/", {"block-detail": ""})
    assert response.status_code == 422
    assert '<a href="#id_block-detail">Enter the reason</a>' in response.content.decode()
    assert blocks.account_block_active(person) is None

    response = client.post(page_of(person) + "bloquear/",
                           {"block-detail": "The person reports a stolen phone"})
    assert response.status_code == 302
    block = blocks.account_block_active(person)
    assert (block.cause, block.detail, block.blocked_by) == (
        "staff", "The person reports a stolen phone", agent)
    assert AuditEntry.objects.filter(actor=agent, action="account.block",
                                     subject_ref=person.subject_ref).exists()


# --- in-person case (R-AFF-05) ----------------------------------------------------------------

def test_r_aff_05_agent_opens_an_in_person_case_and_sees_reference_and_notice(
        agent, make_affiliate):
    person = make_affiliate()
    client = signed_in(agent)
    page = client.get(page_of(person)).content.decode()
    for kind in ("contribution_error", "benefit_denied", "dependant_rejected", "visa_conflict",
                 "appeal"):
        assert f'value="{kind}"' in page
    assert 'value="registration"' not in page

    response = client.post(page_of(person) + "casos/", {
        "case-kind": "contribution_error",
        "case-description": "Months of 2024 missing from the history"})
    case = Case.objects.get(person=person)
    assert response.status_code == 302
    assert response["Location"] == f"{page_of(person)}casos/{case.reference}/"
    assert (case.kind, case.status, case.channel, case.opened_by) == (
        "contribution_error", CaseStatus.AWAITING_VISIT, "in_person", agent)

    html = client.get(response["Location"]).content.decode()
    assert case.reference in html
    assert str(IN_PERSON_NOTICE) in html
    assert AuditEntry.objects.filter(actor=agent, action="case.open_in_person",
                                     subject_ref=person.subject_ref).exists()


def test_r_aff_05_case_needs_a_kind_and_a_description(agent, make_affiliate):
    person = make_affiliate()
    response = signed_in(agent).post(page_of(person) + "casos/", {"case-kind": "",
                                                                  "case-description": ""})
    html = response.content.decode()
    assert response.status_code == 422
    assert '<a href="#id_case-kind_0">Select what the matter is about</a>' in html
    assert '<a href="#id_case-description">Describe the problem in a few words</a>' in html
    assert not Case.objects.filter(person=person).exists()


def test_r_aff_05_other_matters_are_not_in_person_cases(agent, make_affiliate):
    person = make_affiliate()
    response = signed_in(agent).post(page_of(person) + "casos/", {
        "case-kind": "registration", "case-description": "Register me"})
    assert response.status_code == 422
    assert not Case.objects.filter(person=person).exists()


def test_r_aff_05_case_confirmation_only_for_the_persons_own_case(agent, make_affiliate):
    from ventanilla.cases.services import case_open_in_person
    from ventanilla.core.channels import Channel

    person = make_affiliate()
    other = make_affiliate(id_number="0926687856", given_names="Luis")
    case = case_open_in_person(person=other, kind="appeal", description="Appeal",
                               channel=Channel.IN_PERSON)
    response = signed_in(agent).get(f"{page_of(person)}casos/{case.reference}/")
    assert response.status_code == 404


# --- foreign residents without coverage (R-ID-03) ---------------------------------------------

def test_r_id_03_lists_foreign_residents_without_coverage_and_is_audited(agent, make_affiliate):
    lapsed = make_affiliate(id_type="passport", id_number="AB123456", nationality="US",
                            residency_document="VR-2024-0099", given_names="John",
                            family_names="Smith", ends_on=date(2024, 12, 31))
    make_affiliate(id_type="passport", id_number="CD654321", nationality="DE",
                   residency_document="VR-2023-0001", given_names="Eva",
                   family_names="Covered")
    make_affiliate(id_number="0926687856", given_names="Luis", family_names="National",
                   ends_on=date(2024, 12, 31))
    make_affiliate(country="PE", id_type="ce", id_number="001234567", nationality="VE",
                   residency_document="CE-PE-1", given_names="Pedro", family_names="Peru",
                   affiliation_type="sis_para_todos", ends_on=date(2024, 12, 31))

    response = signed_in(agent).get("/staff/residentes-sin-cobertura/")
    html = response.content.decode()
    assert response.status_code == 200
    rows = html.split("<tbody")[1].split("</tbody>")[0]
    assert rows.count('<tr class="govuk-table__row" role="row">') == 1
    for text in ("John Smith", "Passport AB123456", "VR-2024-0099",
                 f'href="{page_of(lapsed)}"', "31 December 2024"):
        assert text in rows, text
    for absent in ("Eva", "Luis", "Pedro"):
        assert absent not in rows
    entry = AuditEntry.objects.get(actor=agent, action="residents.lapsed.view")
    assert entry.object_id == "EC"
    assert entry.details["count"] == 1
    assert entry.details["subjects"] == ["EC:passport:AB123456"]


def test_r_id_03_empty_state(agent, make_affiliate):
    make_affiliate(id_type="passport", id_number="CD654321", nationality="DE",
                   residency_document="VR-2023-0001")
    html = signed_in(agent).get("/staff/residentes-sin-cobertura/").content.decode()
    assert "Every foreign resident registered with your health system is covered today." in html
    assert "<table" not in html


def test_r_id_03_staff_without_a_country_choose_one(administrator, make_affiliate):
    make_affiliate(country="PE", id_type="ce", id_number="001234567", nationality="VE",
                   residency_document="CE-PE-1", given_names="Pedro", family_names="Peru",
                   affiliation_type="sis_para_todos", ends_on=date(2024, 12, 31))
    client = signed_in(administrator)
    assert "Pedro Peru" not in client.get("/staff/residentes-sin-cobertura/").content.decode()
    html = client.get("/staff/residentes-sin-cobertura/?country=PE").content.decode()
    assert "Pedro Peru" in html


# --- CSRF -------------------------------------------------------------------------------------

def test_forms_carry_a_csrf_token_and_posts_without_it_are_refused(agent, make_affiliate):
    person = make_affiliate()
    blocks.account_block(person=person, cause=AccountBlock.Cause.NO_SHOWS)
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(agent)
    html = client.get(page_of(person)).content.decode()
    for action in ("clave/", "desbloquear/", "casos/"):
        form = html.split(f'action="{page_of(person)}{action}"')[1].split("</form>")[0]
        assert 'name="csrfmiddlewaretoken"' in form, action
    assert client.post(page_of(person) + "clave/",
                       {"clave-identity_checked": "on"}).status_code == 403
    assert client.post(page_of(person) + "desbloquear/",
                       {"unblock-reason": "Because"}).status_code == 403
    assert not OneTimeSecret.objects.exists()
    assert blocks.account_block_active(person) is not None
