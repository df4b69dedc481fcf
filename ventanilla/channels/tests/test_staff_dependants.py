"""The back office for dependants and office visits: the queue of dependant requests, a
request's page and its decision (R-DEP-01, R-DEP-03, R-AFF-05), a request filed at the
counter (R-DEP-02) and the day's office visits of a centre with their attendance (R-REG-07).
Browser tests with axe: tests/e2e/test_staff_dependants.py."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ventanilla.cases.models import Case, CaseKind, CaseStatus
from ventanilla.core.channels import Channel
from ventanilla.core.models import AuditEntry
from ventanilla.countries.registry import get_pack
from ventanilla.dependants import selectors as dependant_selectors
from ventanilla.dependants import services as dependant_services
from ventanilla.dependants.models import DependantRequest

pytestmark = pytest.mark.django_db

QUEUE = "/staff/dependientes/"
VISITS = "/staff/visitas/"


def cedula(base9: str) -> str:
    from stdnum.ec import ci

    return next(base9 + str(d) for d in range(10) if ci.is_valid(base9 + str(d)))


HOLDER_ID = "1710034065"
SPOUSE_ID = cedula("170000001")
CHILD_ID = cedula("170000002")
OTHER_ID = cedula("170000003")


def signed_in(user) -> Client:
    """A client of ``user``, reading the pages in English."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def today_in(country: str = "EC") -> date:
    return timezone.localdate(timezone=get_pack(country).tz)


def years_ago(years: int, *, days: int = 0) -> date:
    t = today_in()
    try:
        d = t.replace(year=t.year - years)
    except ValueError:  # 29 February
        d = date(t.year - years, 3, 1)
    return d + timedelta(days=days)


def page_of(r: DependantRequest) -> str:
    return f"/staff/dependientes/{r.public_id}/"


def counter_form_of(person) -> str:
    return f"/staff/personas/{person.public_id}/dependientes/nueva/"


def child(id_number=CHILD_ID, *, given="Mateo", born=None) -> dict:
    return {"id_type": "cedula", "id_number": id_number, "given_names": given,
            "family_names": "Paz Vera", "date_of_birth": born or years_ago(10),
            "nationality": "EC"}


def spouse(id_number=SPOUSE_ID) -> dict:
    return {"id_type": "cedula", "id_number": id_number, "given_names": "Carmen",
            "family_names": "Ruiz", "date_of_birth": date(1982, 6, 1), "nationality": "EC"}


def file_online(holder, relationship="child", dependant=None) -> DependantRequest:
    """The affiliate files a request in the portal, as themself."""
    return dependant_services.dependant_request_create(
        holder_person=holder, relationship=relationship,
        dependant=dependant or (child() if relationship == "child" else spouse()),
        channel=Channel.WEB, actor=holder.user)


@pytest.fixture
def holder(make_affiliate):
    """An Ecuadorian employee, covered since 2020."""
    return make_affiliate(id_number=HOLDER_ID)


@pytest.fixture
def peruvian_request(make_affiliate):
    rosa = make_affiliate(country="PE", id_type="dni", id_number="10117410",
                          given_names="Rosa", family_names="Quispe Mamani",
                          affiliation_type="sis_para_todos", mobile_phone="+51912345678")
    return dependant_services.dependant_request_create(
        holder_person=rosa, relationship="child",
        dependant={"id_type": "dni", "id_number": "46027897", "given_names": "Pedro",
                   "family_names": "Quispe", "date_of_birth": years_ago(8),
                   "nationality": "PE"},
        channel=Channel.WEB, actor=rosa.user)


def audit_actions(user) -> list[str]:
    return list(AuditEntry.objects.filter(actor=user).order_by("id")
                .values_list("action", flat=True))


def counter_answers(**overrides) -> dict:
    born = years_ago(7)
    data = {"relationship": "child", "given_names": "Mateo", "family_names": "Paz Vera",
            "date_of_birth_day": str(born.day), "date_of_birth_month": str(born.month),
            "date_of_birth_year": str(born.year), "nationality": "EC", "id_type": "cedula",
            "id_number": CHILD_ID}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- access -----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", [QUEUE, VISITS])
def test_pages_need_sign_in(path):
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/entrar/")


def test_reviewer_gets_403_everywhere(reviewer, holder):
    r = file_online(holder)
    client = signed_in(reviewer)
    assert client.get(QUEUE).status_code == 403
    assert client.get(page_of(r)).status_code == 403
    assert client.post(page_of(r) + "decidir/", {"decision": "approve"}).status_code == 403
    assert client.get(counter_form_of(holder)).status_code == 403
    assert client.post(counter_form_of(holder), counter_answers()).status_code == 403
    assert client.get(VISITS).status_code == 403
    r.refresh_from_db()
    assert r.status == CaseStatus.SUBMITTED
    assert DependantRequest.objects.count() == 1
    assert audit_actions(reviewer) == []


def test_navigation_links_by_permission(agent, reviewer):
    agent_page = signed_in(agent).get("/staff/mostrador/").content.decode()
    assert f'href="{QUEUE}"' in agent_page
    assert f'href="{VISITS}"' in agent_page
    reviewer_page = signed_in(reviewer).get("/staff/cola/").content.decode()
    assert f'href="{QUEUE}"' not in reviewer_page
    assert f'href="{VISITS}"' not in reviewer_page


def test_request_of_another_country_is_404_and_not_audited(agent, peruvian_request):
    client = signed_in(agent)
    assert client.get(page_of(peruvian_request)).status_code == 404
    response = client.post(page_of(peruvian_request) + "decidir/",
                           {"decision": "reject", "reason": "No"})
    assert response.status_code == 404
    peruvian_request.refresh_from_db()
    assert peruvian_request.status == CaseStatus.SUBMITTED
    assert not AuditEntry.objects.filter(subject_ref=peruvian_request.subject_ref,
                                         actor=agent).exists()


def test_counter_form_for_a_person_of_another_country_is_404(agent, make_affiliate):
    rosa = make_affiliate(country="PE", id_type="dni", id_number="10117410",
                          affiliation_type="sis_para_todos")
    client = signed_in(agent)
    assert client.get(counter_form_of(rosa)).status_code == 404
    assert client.post(counter_form_of(rosa), counter_answers()).status_code == 404
    assert not DependantRequest.objects.exists()
    assert not AuditEntry.objects.filter(actor=agent).exists()


def test_administrator_without_country_reads_any_country(administrator, peruvian_request):
    response = signed_in(administrator).get(page_of(peruvian_request))
    assert response.status_code == 200
    assert "Pedro Quispe" in response.content.decode()


def test_unknown_request_is_404(agent):
    response = signed_in(agent).get("/staff/dependientes/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404


# --- the queue --------------------------------------------------------------------------------

def test_r_dep_01_queue_lists_waiting_requests_oldest_first_and_is_audited(
        agent, holder, make_affiliate, peruvian_request):
    older = file_online(holder)
    newer = file_online(holder, "spouse")
    other = make_affiliate(id_number=OTHER_ID, given_names="Luis")
    decided = file_online(other, dependant=child(cedula("170000004"), given="Ema"))
    dependant_services.dependant_request_decide(request=decided, approve=False,
                                                reason="Falta partida", actor=agent)

    response = signed_in(agent).get(QUEUE)
    html = response.content.decode()
    assert response.status_code == 200
    rows = html.split("<tbody")[1].split("</tbody>")[0]
    assert rows.count('<tr class="govuk-table__row" role="row">') == 2
    assert rows.index(older.case.reference) < rows.index(newer.case.reference)
    assert f'href="{page_of(older)}"' in rows and f'href="{page_of(newer)}"' in rows
    for text in ("Mateo Paz Vera", "Carmen Ruiz", "Ana Paz Vera", HOLDER_ID, "Online"):
        assert text in rows, text
    for absent in ("Ema", "Pedro"):  # decided; another country
        assert absent not in rows
    entry = AuditEntry.objects.get(actor=agent, action="dependant_request.queue.view")
    assert entry.object_id == "EC"
    assert entry.details == {"count": 2, "subjects": [older.subject_ref, newer.subject_ref]}


def test_queue_empty_state(agent):
    html = signed_in(agent).get(QUEUE).content.decode()
    assert "No dependant requests are waiting for a decision." in html
    assert "<table" not in html


# --- a request's page -------------------------------------------------------------------------

def test_r_dep_03_request_page_shows_holder_dependant_papers_cost_history_and_is_audited(
        agent, holder):
    r = file_online(holder, "spouse")
    response = signed_in(agent).get(page_of(r))
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    affiliation = holder.affiliations.get()
    surcharge = dependant_selectors.surcharge_for(
        country="EC", relationship="spouse", affiliation_type="employee", on=today_in())
    for text in (r.case.reference, "Ana Paz Vera", HOLDER_ID, affiliation.number,
                 "Carmen Ruiz", SPOUSE_ID, "1 June 1982", "Ecuador", "Spouse", "Marriage",
                 "Marriage certificate", "The affiliate&#x27;s cédula",
                 str(surcharge.message).replace("'", "&#x27;"),
                 "Submitted, waiting for review", "Online",
                 f'href="/staff/personas/{holder.public_id}/"'):
        assert text in html, text
    assert 'action="' + page_of(r) + 'decidir/"' in html
    entry = AuditEntry.objects.get(actor=agent, action="dependant_request.view")
    assert (entry.subject_ref, entry.object_id) == (r.subject_ref, str(r.public_id))
    assert entry.details["reference"] == r.case.reference


def test_r_dep_03_child_is_covered_at_no_cost(agent, holder):
    r = file_online(holder)
    html = signed_in(agent).get(page_of(r)).content.decode()
    assert "Children under 18 are covered at no cost." in html
    assert "The child&#x27;s birth certificate" in html


def test_r_dep_01_approving_covers_the_dependant_and_shows_the_outcome(agent, holder):
    r = file_online(holder)
    client = signed_in(agent)
    response = client.post(page_of(r) + "decidir/", {"decision": "approve", "reason": ""})
    assert response.status_code == 302 and response["Location"] == page_of(r)
    r.refresh_from_db()
    assert (r.status, r.decided_by) == (CaseStatus.APPROVED, agent)
    assert r.affiliation is not None and r.affiliation.holder == holder.affiliations.get()

    html = client.get(page_of(r)).content.decode()
    assert (f"Request approved. Mateo Paz Vera is covered from today, with affiliation "
            f"number {r.affiliation.number}.") in html
    assert 'id="outcome"' in html and "Approved" in html
    assert 'decidir/"' not in html  # decided: no decision form any more
    assert {"dependant_request.approve", "dependant_request.view"} <= set(audit_actions(agent))
    # and the holder's page at the counter lists the new dependant
    html = client.get(counter_form_of(holder)).content.decode()
    assert "Mateo Paz Vera" in html.split('id="dependants-list"')[1]


def test_r_dep_01_a_decision_is_asked_for(agent, holder):
    r = file_online(holder)
    response = signed_in(agent).post(page_of(r) + "decidir/", {})
    html = response.content.decode()
    assert response.status_code == 422
    assert html.split("<title>")[1].strip().startswith("Error:")
    assert '<a href="#id_decision_0">Select approve or reject</a>' in html
    r.refresh_from_db()
    assert r.status == CaseStatus.SUBMITTED


def test_r_dep_01_rejection_needs_a_reason(agent, holder):
    r = file_online(holder)
    response = signed_in(agent).post(page_of(r) + "decidir/",
                                     {"decision": "reject", "reason": "   "})
    html = response.content.decode()
    assert response.status_code == 422
    assert '<a href="#id_reason">Enter the reason for rejecting the request</a>' in html
    assert 'id="id_reason_error"' in html
    r.refresh_from_db()
    assert r.status == CaseStatus.SUBMITTED
    assert "dependant_request.reject" not in audit_actions(agent)
    assert "dependant_request.view" in audit_actions(agent)  # the page shown again


def test_r_dep_01_rejection_with_a_reason(agent, holder):
    r = file_online(holder)
    client = signed_in(agent)
    response = client.post(page_of(r) + "decidir/",
                           {"decision": "reject", "reason": "Falta la partida de nacimiento"})
    assert response.status_code == 302
    r.refresh_from_db()
    assert (r.status, r.decision_reason) == (CaseStatus.REJECTED,
                                             "Falta la partida de nacimiento")
    html = client.get(page_of(r)).content.decode()
    assert "Request rejected. The affiliate can read the reason." in html
    assert "Falta la partida de nacimiento" in html
    assert 'id="in-person-case"' not in html


def test_r_aff_05_second_rejection_opens_an_in_person_case_shown_on_the_page(agent, holder):
    first = file_online(holder)
    dependant_services.dependant_request_decide(request=first, approve=False,
                                                reason="Falta partida", actor=agent)
    second = file_online(holder)
    client = signed_in(agent)
    response = client.post(page_of(second) + "decidir/",
                           {"decision": "reject", "reason": "Partida sin apostilla"})
    assert response.status_code == 302
    in_person = Case.objects.get(kind=CaseKind.DEPENDANT_REJECTED)
    assert (in_person.person, in_person.status) == (holder, CaseStatus.AWAITING_VISIT)
    html = client.get(page_of(second)).content.decode()
    assert ("Request rejected. It was rejected more than once, so an in-person case was "
            f"opened for the affiliate: {in_person.reference}.") in html
    assert in_person.reference in html.split('id="in-person-case"')[1]


def test_r_dep_01_deciding_twice_is_refused(agent, holder):
    r = file_online(holder)
    dependant_services.dependant_request_decide(request=r, approve=False, reason="No",
                                                actor=agent)
    response = signed_in(agent).post(page_of(r) + "decidir/", {"decision": "approve"})
    assert response.status_code == 409
    assert "This request is not waiting for a decision." in response.content.decode()
    r.refresh_from_db()
    assert r.status == CaseStatus.REJECTED


def test_decision_is_post_only(agent, holder):
    r = file_online(holder)
    assert signed_in(agent).get(page_of(r) + "decidir/").status_code == 405


# --- filed at the counter (R-DEP-02) ----------------------------------------------------------

def test_person_page_links_to_the_counter_form(agent, holder):
    html = signed_in(agent).get(f"/staff/personas/{holder.public_id}/").content.decode()
    assert f'href="{counter_form_of(holder)}"' in html
    assert "Add a dependant (in person)" in html


def test_r_dep_01_person_page_lists_current_dependants(agent, holder, make_affiliate):
    make_affiliate(id_number=CHILD_ID, given_names="Sofía", family_names="Paz",
                   date_of_birth=years_ago(6), affiliation_type="dependant",
                   holder=holder.affiliations.get(), relationship="child", with_clave=False)
    html = signed_in(agent).get(f"/staff/personas/{holder.public_id}/").content.decode()
    assert "Sofía Paz" in html.split('id="dependants-list"')[1]


def test_r_dep_02_ecuador_spouse_married_abroad_is_filed_at_the_counter(agent, holder):
    client = signed_in(agent)
    page = client.get(counter_form_of(holder))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="inscription_reference"' in html
    assert '<option value="passport">' in html and '<option value="cedula">' in html
    assert "Inscription of the marriage at the Registro Civil" in html  # papers to check

    response = client.post(counter_form_of(holder), counter_answers(
        relationship="spouse", union_kind="marriage", marriage_abroad="yes",
        inscription_reference="RC-2025-000123", given_names="Laura",
        family_names="Gómez Díaz", date_of_birth_day="3", date_of_birth_month="11",
        date_of_birth_year="1985", nationality="CO", id_type="passport", id_number="AX123456"))
    r = DependantRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == page_of(r)
    assert (r.channel, r.created_by, r.relationship, r.union_kind, r.marriage_abroad,
            r.inscription_reference, r.nationality, r.id_type, r.id_number,
            r.date_of_birth) == (
        "in_person", agent, "spouse", "marriage", True, "RC-2025-000123", "CO", "passport",
        "AX123456", date(1985, 11, 3))
    assert r.case.kind == CaseKind.DEPENDANT_SPOUSE and r.case.channel == "in_person"
    html = client.get(page_of(r)).content.decode()
    assert f"The request is filed: case {r.case.reference}." in html
    assert "RC-2025-000123" in html
    assert "Apostilled" in html or "apostilled" in html
    assert "dependant_request.create" in audit_actions(agent)


def test_r_dep_02_marriage_abroad_without_its_inscription_is_refused(agent, holder):
    response = signed_in(agent).post(counter_form_of(holder), counter_answers(
        relationship="spouse", union_kind="marriage", marriage_abroad="yes",
        inscription_reference="", id_number=SPOUSE_ID))
    html = response.content.decode()
    assert response.status_code == 422
    assert ('<a href="#id_inscription_reference">A marriage celebrated abroad must first be '
            "inscribed at the Registro Civil.") in html
    assert not DependantRequest.objects.exists()


def test_r_dep_02_spouse_needs_the_kind_of_union_and_where_married(agent, holder):
    client = signed_in(agent)
    response = client.post(counter_form_of(holder), counter_answers(relationship="spouse"))
    assert response.status_code == 422
    assert ('<a href="#id_union_kind_0">Select married or de-facto union</a>'
            in response.content.decode())
    response = client.post(counter_form_of(holder), counter_answers(relationship="spouse",
                                                                    union_kind="marriage"))
    assert ('<a href="#id_marriage_abroad_0">Select yes if the marriage was celebrated '
            "abroad</a>") in response.content.decode()
    assert not DependantRequest.objects.exists()


def test_counter_form_empty_submit_says_what_to_enter(agent, holder):
    response = signed_in(agent).post(counter_form_of(holder), {})
    html = response.content.decode()
    assert response.status_code == 422
    assert html.split("<title>")[1].strip().startswith("Error:")
    for anchor, message in (("id_relationship_0", "Select spouse or partner, or child"),
                            ("id_given_names", "Enter their given names"),
                            ("id_family_names", "Enter their family names"),
                            ("id_date_of_birth_0", "Enter their date of birth"),
                            ("id_nationality", "Select their nationality"),
                            ("id_id_number", "Enter their identity document number")):
        assert f'<a href="#{anchor}">{message}</a>' in html, message


def test_r_dep_01_child_of_18_is_refused_at_the_date_of_birth(agent, holder):
    born = years_ago(18)
    response = signed_in(agent).post(counter_form_of(holder), counter_answers(
        date_of_birth_day=str(born.day), date_of_birth_month=str(born.month),
        date_of_birth_year=str(born.year)))
    assert response.status_code == 422
    assert ('<a href="#id_date_of_birth_0">Children can be covered as dependants only until '
            "their 18th birthday") in response.content.decode()
    assert not DependantRequest.objects.exists()


def test_counter_form_shows_the_id_number_error_of_the_country_pack(agent, holder):
    response = signed_in(agent).post(counter_form_of(holder),
                                     counter_answers(id_number="1710034066"))
    assert response.status_code == 422
    assert '<a href="#id_id_number">' in response.content.decode()


def test_r_dep_01_counter_form_for_an_affiliate_not_covered(agent, make_affiliate):
    voluntary = make_affiliate(affiliation_type="voluntary")  # no contributions paid
    response = signed_in(agent).get(counter_form_of(voluntary))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="not-eligible"' in html
    assert "Only an affiliate who is covered" in html
    assert 'name="given_names"' not in html


def test_counter_form_lists_current_dependants_and_is_audited(agent, holder, make_affiliate):
    make_affiliate(id_number=CHILD_ID, given_names="Sofía", family_names="Paz",
                   date_of_birth=years_ago(6), affiliation_type="dependant",
                   holder=holder.affiliations.get(), relationship="child", with_clave=False)
    html = signed_in(agent).get(counter_form_of(holder)).content.decode()
    listed = html.split('id="dependants-list"')[1].split("</dl>")[0]
    assert "Sofía Paz" in listed and "Child" in listed and "Covered" in listed
    entry = AuditEntry.objects.get(actor=agent, action="person.dependants.view")
    assert (entry.subject_ref, entry.object_id) == (holder.subject_ref, str(holder.public_id))


def test_counter_form_without_dependants_says_so(agent, holder):
    html = signed_in(agent).get(counter_form_of(holder)).content.decode()
    assert "No dependants are covered through this person's affiliation." in html


# --- office visits (R-REG-07) -----------------------------------------------------------------

@pytest.fixture
def centre(db):
    from ventanilla.scheduling.models import Centre

    return Centre.objects.create(country="EC", code="ec-quito", name="CAU Quito",
                                 subdivision_code="170150", address="Av. 10 de Agosto")


@pytest.fixture
def visit(db, centre):
    """``visit(person, day, "09:00")``: an office visit the person booked online, at the
    centre, on a local day and time."""
    from ventanilla.scheduling.defaults import office_services_ensure
    from ventanilla.scheduling.models import Slot
    from ventanilla.scheduling.services import booking_create

    services = {s.code: s for s in office_services_ensure("EC")}

    def make(person, day: date, at: str, *, service="document_submission", where=None):
        where = where or centre
        tz = get_pack(where.country).tz
        starts_at = datetime.combine(day, time.fromisoformat(at), tzinfo=tz)
        slot = Slot.objects.create(centre=where, service=services[service],
                                   starts_at=starts_at,
                                   ends_at=starts_at + timedelta(minutes=20))
        return booking_create(slot=slot, person=person, channel=Channel.WEB,
                              now=starts_at - timedelta(days=2))

    return make


@pytest.fixture
def centre_agent(agent, centre):
    agent.centre = centre
    agent.save(update_fields=["centre"])
    return agent


def test_r_reg_07_visits_of_the_agents_centre_today_in_order_and_audited(
        centre_agent, visit, make_affiliate):
    from ventanilla.scheduling.models import Centre

    ana = make_affiliate()
    luis = make_affiliate(id_number=OTHER_ID, given_names="Luis", family_names="Mendoza")
    today = today_in()
    late = visit(ana, today, "15:40")
    early = visit(luis, today, "08:20", service="clave_issuance")
    visit(ana, today - timedelta(days=1), "10:00")  # another day
    elsewhere = Centre.objects.create(country="EC", code="ec-gye", name="CAU Guayaquil",
                                      subdivision_code="090150", address="Av. 9 de Octubre")
    visit(luis, today, "11:00", where=elsewhere)  # another centre

    response = signed_in(centre_agent).get(VISITS)
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    rows = html.split("<tbody")[1].split("</tbody>")[0].split('<tr class="govuk-table__row" role="row">')[1:]
    assert len(rows) == 2
    assert "08:20" in rows[0] and "Luis Mendoza" in rows[0] and OTHER_ID in rows[0]
    assert "15:40" in rows[1] and "Ana Paz Vera" in rows[1] and "1710034065" in rows[1]
    assert "Booked" in rows[0]
    for row, booking in ((rows[0], early), (rows[1], late)):
        assert f'action="/staff/visitas/{booking.public_id}/asistencia/"' in row
        assert 'value="yes"' in row and 'value="no"' in row
    assert 'name="centro"' not in html  # staff of one centre see theirs
    entry = AuditEntry.objects.get(actor=centre_agent, action="visits.day.view")
    assert entry.object_id == str(centre_agent.centre.public_id)
    assert entry.details == {"on": today.isoformat(), "count": 2,
                             "subjects": [luis.subject_ref, ana.subject_ref]}


def test_r_reg_07_another_day_by_its_date(centre_agent, visit, make_affiliate):
    ana = make_affiliate()
    day = today_in() - timedelta(days=3)
    visit(ana, day, "09:00")
    client = signed_in(centre_agent)
    html = client.get(VISITS, {"fecha": day.isoformat()}).content.decode()
    assert "Ana Paz Vera" in html
    assert f'value="{day.isoformat()}"' in html
    html = client.get(VISITS).content.decode()
    assert "No office visits are booked at this centre on this day." in html


def test_r_reg_07_a_wrong_date_is_an_error(centre_agent):
    response = signed_in(centre_agent).get(VISITS, {"fecha": "2026-02-30"})
    html = response.content.decode()
    assert response.status_code == 422
    assert '<a href="#id_fecha">Enter a real date, like 2026-03-27</a>' in html


def test_r_reg_07_staff_without_a_centre_choose_one_of_their_country(
        agent, centre, visit, make_affiliate):
    from ventanilla.scheduling.models import Centre

    lima = Centre.objects.create(country="PE", code="pe-lima", name="Agencia Lima",
                                 subdivision_code="150113", address="Av. Cueto 120")
    Centre.objects.create(country="EC", code="ec-gye", name="CAU Guayaquil",
                          subdivision_code="090150", address="Av. 9 de Octubre")
    ana = make_affiliate()
    visit(ana, today_in(), "09:00")
    client = signed_in(agent)
    html = client.get(VISITS).content.decode()
    assert "Choose a service centre to see its office visits." in html
    assert f'value="{centre.public_id}"' in html and "CAU Guayaquil" in html
    assert "Agencia Lima" not in html
    assert not AuditEntry.objects.filter(action="visits.day.view").exists()

    html = client.get(VISITS, {"centro": str(centre.public_id)}).content.decode()
    assert "Ana Paz Vera" in html
    # a centre of another country is not one to choose
    html = client.get(VISITS, {"centro": str(lima.public_id)}).content.decode()
    assert "Choose a service centre" in html


def test_r_reg_07_attendance_recorded_once_the_visit_started(centre_agent, visit,
                                                            make_affiliate):
    from ventanilla.scheduling.models import BookingStatus

    ana = make_affiliate()
    luis = make_affiliate(id_number=OTHER_ID, given_names="Luis", family_names="Mendoza")
    day = today_in() - timedelta(days=1)
    came = visit(ana, day, "09:00")
    missed = visit(luis, day, "09:20")
    client = signed_in(centre_agent)

    response = client.post(f"/staff/visitas/{came.public_id}/asistencia/", {"attended": "yes"})
    assert response.status_code == 302
    assert response["Location"] == f"{VISITS}?fecha={day.isoformat()}"
    response = client.post(f"/staff/visitas/{missed.public_id}/asistencia/",
                           {"attended": "no"})
    came.refresh_from_db()
    missed.refresh_from_db()
    assert (came.status, missed.status) == (BookingStatus.ATTENDED, BookingStatus.NO_SHOW)
    html = client.get(response["Location"]).content.decode()
    assert "Recorded: Luis Mendoza did not come." in html
    rows = html.split("<tbody")[1].split("</tbody>")[0]
    assert "Attended" in rows and "Did not come" in rows
    assert "asistencia/" not in rows  # no buttons once recorded
    entries = AuditEntry.objects.filter(actor=centre_agent, action="booking.attendance")
    assert sorted(e.details["status"] for e in entries) == ["attended", "no_show"]

    # recording again says the visit is no longer booked
    response = client.post(f"/staff/visitas/{came.public_id}/asistencia/", {"attended": "no"})
    assert response.status_code == 409
    assert "This visit is no longer booked." in response.content.decode()


def test_r_reg_07_attendance_refused_before_the_visit_starts(centre_agent, visit,
                                                            make_affiliate):
    booking = visit(make_affiliate(), today_in() + timedelta(days=1), "09:00")
    response = signed_in(centre_agent).post(f"/staff/visitas/{booking.public_id}/asistencia/",
                                            {"attended": "yes"})
    html = response.content.decode()
    assert response.status_code == 422
    assert html.split("<title>")[1].strip().startswith("Error:")
    assert "Attendance can be recorded once the visit has started." in html
    booking.refresh_from_db()
    assert booking.status == "booked"


def test_r_reg_07_attendance_needs_change_booking_and_the_country(
        reviewer, agent, make_affiliate):
    from ventanilla.scheduling.defaults import office_services_ensure
    from ventanilla.scheduling.models import Centre, Slot
    from ventanilla.scheduling.services import booking_create

    lima = Centre.objects.create(country="PE", code="pe-lima", name="Agencia Lima",
                                 subdivision_code="150113", address="Av. Cueto 120")
    rosa = make_affiliate(country="PE", id_type="dni", id_number="10117410",
                          affiliation_type="sis_para_todos")
    service = office_services_ensure("PE")[0]
    starts_at = datetime.now(UTC) - timedelta(hours=2)
    slot = Slot.objects.create(centre=lima, service=service, starts_at=starts_at,
                               ends_at=starts_at + timedelta(minutes=20))
    booking = booking_create(slot=slot, person=rosa, channel=Channel.WEB,
                             now=starts_at - timedelta(days=1))
    path = f"/staff/visitas/{booking.public_id}/asistencia/"
    assert signed_in(reviewer).post(path, {"attended": "yes"}).status_code == 403
    assert signed_in(agent).post(path, {"attended": "yes"}).status_code == 404
    assert signed_in(agent).get(path).status_code == 405
    booking.refresh_from_db()
    assert booking.status == "booked"


# --- CSRF -------------------------------------------------------------------------------------

def test_forms_carry_a_csrf_token_and_posts_without_it_are_refused(
        centre_agent, holder, visit, make_affiliate):
    r = file_online(holder)
    booking = visit(make_affiliate(id_number=OTHER_ID), today_in() - timedelta(days=1),
                    "09:00")
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(centre_agent)

    html = client.get(page_of(r)).content.decode()
    form = html.split(f'action="{page_of(r)}decidir/"')[1].split("</form>")[0]
    assert 'name="csrfmiddlewaretoken"' in form
    html = client.get(counter_form_of(holder)).content.decode()
    assert 'name="csrfmiddlewaretoken"' in html.split('id="main-content"')[1]
    day = (today_in() - timedelta(days=1)).isoformat()
    html = client.get(VISITS, {"fecha": day}).content.decode()
    form = html.split(f'action="/staff/visitas/{booking.public_id}/asistencia/"')[1]
    assert 'name="csrfmiddlewaretoken"' in form.split("</form>")[0]

    assert client.post(page_of(r) + "decidir/", {"decision": "approve"}).status_code == 403
    assert client.post(counter_form_of(holder),
                       counter_answers(id_number=SPOUSE_ID)).status_code == 403
    assert client.post(f"/staff/visitas/{booking.public_id}/asistencia/",
                       {"attended": "yes"}).status_code == 403
    r.refresh_from_db()
    booking.refresh_from_db()
    assert r.status == CaseStatus.SUBMITTED
    assert DependantRequest.objects.count() == 1
    assert booking.status == "booked"
