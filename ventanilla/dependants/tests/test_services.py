"""Filing and deciding dependant requests (R-DEP-01, R-DEP-02, R-DEP-03, R-AFF-05)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from ventanilla.affiliation.models import Affiliation
from ventanilla.affiliation.rules import Reason
from ventanilla.cases.models import Case, CaseKind, CaseStatus
from ventanilla.core.channels import Channel
from ventanilla.core.errors import PermissionDenied
from ventanilla.core.models import AuditEntry
from ventanilla.dependants import selectors, services
from ventanilla.dependants.errors import (
    AlreadyCovered,
    ChildTooOld,
    DecisionNotAllowed,
    DependantRefused,
    DuplicateRequest,
    HolderNotEligible,
    InPersonOnly,
    InscriptionMissing,
    SelfAsDependant,
    SpouseAlreadyCovered,
)
from ventanilla.dependants.models import DependantRequest
from ventanilla.people.models import Person

from .conftest import CHILD_ID, HOLDER_ID, OTHER_ID, SPOUSE_ID, child, spouse, today, years_ago

pytestmark = pytest.mark.django_db


def file(holder, relationship="child", dependant=None, *, channel=Channel.WEB, actor=None,
         **kwargs):
    if actor is None and channel == Channel.WEB:
        actor = holder.user
    return services.dependant_request_create(
        holder_person=holder, relationship=relationship,
        dependant=dependant or (child() if relationship == "child" else spouse()),
        channel=channel, actor=actor, **kwargs)


def nothing_saved(before_cases: int) -> bool:
    return Case.objects.count() == before_cases and not DependantRequest.objects.exists()


# --- filing --------------------------------------------------------------------------------------

def test_r_dep_01_a_child_request_is_a_submitted_case_about_the_child(holder):
    r = file(holder)
    assert r.status == CaseStatus.SUBMITTED and r.country == "EC"
    assert r.holder_affiliation.person == holder and r.relationship == "child"
    assert (r.id_type, r.id_number, r.date_of_birth) == ("cedula", CHILD_ID, years_ago(10))
    assert r.case.kind == CaseKind.DEPENDANT_CHILD and r.case.status == CaseStatus.SUBMITTED
    assert (r.case.subject_id_type, r.case.subject_id_number) == ("cedula", CHILD_ID)
    assert [e.code for e in r.case.events.all()] == ["opened", "submitted"]
    assert r.union_kind == "" and r.marriage_abroad is False
    assert not AuditEntry.objects.exists()  # the affiliate's own filing is not a staff action


def test_r_dep_03_a_spouse_request_opens_a_spouse_case(holder):
    r = file(holder, "spouse", union_kind="de_facto")
    assert r.case.kind == CaseKind.DEPENDANT_SPOUSE and r.union_kind == "de_facto"


def test_r_dep_01_a_child_aged_18_or_more_is_refused_citing_art_11(holder):
    n = Case.objects.count()
    with pytest.raises(ChildTooOld) as exc:
        file(holder, dependant=child(born=years_ago(18)))
    assert "Ley de Seguridad Social, art. 11" in exc.value.fields["date_of_birth"]
    assert nothing_saved(n)
    # one day younger is still a child
    assert file(holder, dependant=child(born=years_ago(18, days=1))).status == "submitted"


def test_r_dep_02_spouse_married_abroad_without_the_inscription_is_refused(holder, clerk):
    n = Case.objects.count()
    with pytest.raises(InscriptionMissing) as exc:
        file(holder, "spouse", channel=Channel.IN_PERSON, actor=clerk, marriage_abroad=True)
    assert set(exc.value.fields) == {"inscription_reference"}
    assert nothing_saved(n)
    r = file(holder, "spouse", channel=Channel.IN_PERSON, actor=clerk, marriage_abroad=True,
             inscription_reference="  RC-QUITO 2025-0042 ")
    assert r.marriage_abroad is True and r.inscription_reference == "RC-QUITO 2025-0042"
    assert r.channel == Channel.IN_PERSON and r.created_by == clerk
    assert AuditEntry.objects.filter(actor=clerk, action="dependant_request.create",
                                     object_id=str(r.public_id)).exists()


@pytest.mark.parametrize("channel", [Channel.WEB, Channel.API, Channel.PHONE, Channel.WHATSAPP])
def test_r_dep_02_spouse_married_abroad_refused_outside_a_counter(holder, clerk, channel):
    n = Case.objects.count()
    actor = clerk if channel == Channel.PHONE else None
    with pytest.raises(InPersonOnly) as exc:
        file(holder, "spouse", channel=channel, actor=actor if actor else holder.user,
             marriage_abroad=True, inscription_reference="RC-1")
    body = exc.value.as_dict()
    assert body["code"] == "IN_PERSON_ONLY" and set(body["fields"]) == {"channel"}
    assert "civil_registry_inscription" in [i["code"] for i in body["checklist"]]
    assert nothing_saved(n)


def test_r_dep_01_a_person_already_covered_by_another_affiliate_is_refused(
        holder, make_affiliate):
    other_holder = make_affiliate(id_number=OTHER_ID, given_names="Luis")
    make_affiliate(id_number=CHILD_ID, affiliation_type="dependant", relationship="child",
                   holder=other_holder.affiliations.get(), date_of_birth=years_ago(8),
                   with_clave=False)
    n = Case.objects.count()
    with pytest.raises(AlreadyCovered) as exc:
        file(holder)
    assert exc.value.status == 409 and set(exc.value.fields) == {"id_number"}
    # and an affiliate in their own right cannot become a dependant either
    with pytest.raises(AlreadyCovered):
        file(holder, "spouse", spouse(OTHER_ID))
    assert nothing_saved(n)


def test_r_dep_01_the_holder_cannot_request_coverage_for_themself(holder):
    with pytest.raises(SelfAsDependant) as exc:
        file(holder, "spouse", spouse(HOLDER_ID))
    assert set(exc.value.fields) == {"id_number"}


def test_r_dep_01_a_second_open_request_for_the_same_person_is_refused(holder, make_affiliate):
    file(holder)
    with pytest.raises(DuplicateRequest):
        file(holder)
    other_holder = make_affiliate(id_number=OTHER_ID)
    with pytest.raises(DuplicateRequest):  # by anyone
        file(other_holder)
    assert DependantRequest.objects.count() == 1


def test_r_dep_03_a_second_spouse_while_one_is_covered_or_pending_is_refused(holder, clerk):
    first = file(holder, "spouse")
    with pytest.raises(SpouseAlreadyCovered):  # pending
        file(holder, "spouse", spouse(OTHER_ID))
    services.dependant_request_decide(request=first, approve=True, reason="", actor=clerk)
    with pytest.raises(SpouseAlreadyCovered) as exc:  # covered
        file(holder, "spouse", spouse(OTHER_ID))
    assert set(exc.value.fields) == {"relationship"}
    file(holder, "child")  # children are not limited


def test_r_dep_01_the_holder_must_be_covered_and_not_a_dependant(make_affiliate, holder):
    ended = make_affiliate(id_number=OTHER_ID, starts_on=date(2015, 1, 1),
                           ends_on=date(2020, 1, 1))
    with pytest.raises(HolderNotEligible) as exc:
        file(ended)
    assert set(exc.value.fields) == {"holder"}
    kid = make_affiliate(id_number=CHILD_ID, affiliation_type="dependant", relationship="child",
                         holder=holder.affiliations.get(), date_of_birth=years_ago(12))
    with pytest.raises(HolderNotEligible):
        file(kid, dependant=child(SPOUSE_ID, born=years_ago(1)))


def test_dependant_identity_is_checked_by_the_country_pack_all_errors_at_once(holder):
    with pytest.raises(DependantRefused) as exc:
        file(holder, dependant={"id_type": "cedula", "id_number": "1710034066",
                                "given_names": "", "family_names": "R2D2",
                                "date_of_birth": "not a date", "nationality": "XX"})
    assert set(exc.value.fields) == {"id_number", "given_names", "family_names",
                                     "date_of_birth", "nationality"}
    assert exc.value.fields["id_number"].startswith("This cédula number is not valid")
    with pytest.raises(DependantRefused) as exc:
        file(holder, dependant={**child(), "id_type": "dni"})
    assert set(exc.value.fields) == {"id_type"}


def test_only_staff_file_at_a_counter_and_only_for_their_country(holder, reviewer, peru_clerk,
                                                                 make_affiliate):
    with pytest.raises(PermissionDenied):  # no one at a counter
        file(holder, channel=Channel.IN_PERSON, actor=None)
    with pytest.raises(PermissionDenied):  # staff without the permission (a reviewer)
        file(holder, channel=Channel.IN_PERSON, actor=reviewer)
    with pytest.raises(PermissionDenied):  # another country's staff
        file(holder, channel=Channel.IN_PERSON, actor=peru_clerk)
    someone_else = make_affiliate(id_number=OTHER_ID)
    with pytest.raises(PermissionDenied):  # an affiliate for another affiliate
        file(holder, actor=someone_else.user)


# --- deciding ------------------------------------------------------------------------------------

def test_r_dep_01_approval_registers_the_child_and_opens_a_dependant_affiliation(holder, clerk):
    r = file(holder)
    decided = services.dependant_request_decide(request=r, approve=True, reason="", actor=clerk)
    person = Person.objects.get(id_type="cedula", id_number=CHILD_ID)
    assert person.registration_number == f"IESS-{today().year}-00000014"
    assert (person.given_names, person.date_of_birth) == ("Mateo", years_ago(10))
    affiliation = decided.affiliation
    assert (affiliation.person, affiliation.affiliation_type, affiliation.starts_on) == (
        person, "dependant", today())
    assert affiliation.holder == holder.affiliations.get(holder=None)
    assert affiliation.relationship == "child" and affiliation.number == CHILD_ID
    assert decided.status == CaseStatus.APPROVED and decided.decided_by == clerk
    case = Case.objects.get(pk=r.case_id)
    assert case.status == CaseStatus.APPROVED and case.person == person
    assert [e.code for e in case.events.all()] == ["opened", "submitted", "dependant_approved"]
    rows = selectors.dependants_of(holder, on=today())
    assert [(p, a, c.covered) for p, a, c in rows] == [(person, affiliation, True)]
    assert set(AuditEntry.objects.filter(actor=clerk).values_list("action", flat=True)) >= {
        "dependant_request.approve", "affiliation.open"}
    history = selectors.request_history(decided)
    assert history[-1]["text"] == f"Coverage extended. Affiliation number: {CHILD_ID}"


def test_r_dep_01_approval_reuses_a_registered_person(holder, clerk, make_affiliate):
    known = make_affiliate(id_number=SPOUSE_ID, starts_on=date(2010, 1, 1),
                           ends_on=date(2019, 12, 31), with_clave=False)
    r = file(holder, "spouse")
    decided = services.dependant_request_decide(request=r, approve=True, reason="ok",
                                                actor=clerk)
    assert decided.affiliation.person == known
    assert Person.objects.filter(id_number=SPOUSE_ID).count() == 1
    assert decided.decision_reason == "ok"


def test_r_dep_01_child_coverage_ends_on_the_18th_birthday_without_anyone_acting(holder, clerk):
    r = file(holder, dependant=child(born=years_ago(18, days=1)))  # 18 tomorrow
    services.dependant_request_decide(request=r, approve=True, reason="", actor=clerk)
    [(_p, _a, now)] = selectors.dependants_of(holder, on=today())
    assert now.covered and now.until == today()
    [(_p, affiliation, tomorrow)] = selectors.dependants_of(holder, on=today() + timedelta(1))
    assert not tomorrow.covered and tomorrow.reason == Reason.CHILD_TURNED_18
    assert affiliation.ends_on is None  # nobody ended it: the rule did


def test_r_dep_01_a_child_who_turned_18_while_waiting_is_not_affiliated(
        holder, clerk, monkeypatch):
    r = file(holder, dependant=child(born=years_ago(18, days=1)))
    monkeypatch.setattr(services, "_today", lambda country: today() + timedelta(days=1))
    n = Affiliation.objects.count()
    with pytest.raises(ChildTooOld):
        services.dependant_request_decide(request=r, approve=True, reason="", actor=clerk)
    r.refresh_from_db()
    assert r.status == CaseStatus.SUBMITTED and Affiliation.objects.count() == n
    assert not Person.objects.filter(id_number=CHILD_ID).exists()  # nothing half-saved


def test_rejection_needs_a_reason_and_is_audited(holder, clerk):
    r = file(holder)
    with pytest.raises(DependantRefused) as exc:
        services.dependant_request_decide(request=r, approve=False, reason="  ", actor=clerk)
    assert set(exc.value.fields) == {"reason"}
    decided = services.dependant_request_decide(request=r, approve=False,
                                                reason="Partida ilegible", actor=clerk)
    assert decided.status == CaseStatus.REJECTED and decided.decision_reason == "Partida ilegible"
    assert decided.case.status == CaseStatus.REJECTED and decided.in_person_case is None
    assert AuditEntry.objects.filter(actor=clerk, action="dependant_request.reject").exists()
    assert selectors.request_history(decided)[-1]["text"] == (
        "Coverage request rejected. Reason: Partida ilegible")
    with pytest.raises(DecisionNotAllowed):
        services.dependant_request_decide(request=r, approve=True, reason="", actor=clerk)


def test_decisions_need_the_permission_and_the_country(holder, reviewer, peru_clerk, clerk):
    r = file(holder)
    for someone in (reviewer, peru_clerk, holder.user, None):
        with pytest.raises(PermissionDenied):
            services.dependant_request_decide(request=r, approve=True, reason="", actor=someone)
    assert selectors.review_queue(peru_clerk).count() == 0
    assert list(selectors.review_queue(clerk)) == [r]


def test_r_aff_05_second_rejection_of_the_same_dependant_opens_an_in_person_case(holder, clerk):
    first = file(holder)
    services.dependant_request_decide(request=first, approve=False, reason="Falta partida",
                                      actor=clerk)
    assert not Case.objects.filter(kind=CaseKind.DEPENDANT_REJECTED).exists()
    second = file(holder)
    decided = services.dependant_request_decide(request=second, approve=False,
                                                reason="Partida sin apostilla", actor=clerk)
    in_person = Case.objects.get(kind=CaseKind.DEPENDANT_REJECTED)
    assert decided.in_person_case == in_person
    assert in_person.status == CaseStatus.AWAITING_VISIT and in_person.person == holder
    assert "rechazada 2 veces" in in_person.description  # in the affiliate's language (es)
    assert "Partida sin apostilla" in in_person.description
    assert [e.code for e in decided.case.events.all()] == [
        "opened", "submitted", "dependant_rejected", "routed_in_person_case"]
    assert selectors.request_history(decided)[-1]["text"].startswith(
        f"Rejected more than once: an in-person case was opened, number {in_person.reference}")
    assert AuditEntry.objects.filter(actor=clerk, action="case.open_in_person").exists()
    # a third rejection joins the case still open, it does not open another
    third = file(holder)
    services.dependant_request_decide(request=third, approve=False, reason="Otra vez",
                                      actor=clerk)
    assert Case.objects.filter(kind=CaseKind.DEPENDANT_REJECTED).count() == 1
    third.refresh_from_db()
    assert third.in_person_case == in_person


def test_r_aff_05_rejections_count_per_holder_and_dependant(holder, clerk, make_affiliate):
    other_holder = make_affiliate(id_number=OTHER_ID)
    for who, reason in ((holder, "a"), (other_holder, "b")):
        r = file(who)
        services.dependant_request_decide(request=r, approve=False, reason=reason, actor=clerk)
    r = file(holder, dependant=child(SPOUSE_ID, given="Lía"))
    services.dependant_request_decide(request=r, approve=False, reason="c", actor=clerk)
    assert not Case.objects.filter(kind=CaseKind.DEPENDANT_REJECTED).exists()


# --- reads -----------------------------------------------------------------------------------------

def test_requests_of_newest_first(holder, clerk):
    older = file(holder)
    newer = file(holder, "spouse")
    assert list(selectors.requests_of(holder)) == [newer, older]


@pytest.mark.parametrize(("affiliation_type", "declared", "rate", "monthly"), [
    ("voluntary", None, Decimal("3.41"), Decimal("16.44")),   # 3.41 % of USD 482 (2026)
    ("pensioner", None, Decimal("4.15"), None),               # the pension is not known
    ("pensioner", Decimal("1000"), Decimal("4.15"), Decimal("41.50")),
], ids=["voluntary", "pensioner-unknown-pension", "pensioner-1000"])
def test_r_dep_03_spouse_surcharge_from_the_contribution_tables(
        affiliation_type, declared, rate, monthly):
    s = selectors.surcharge_for(country="EC", relationship="spouse",
                                affiliation_type=affiliation_type, on=date(2026, 3, 1),
                                declared_base=declared)
    assert (s.applies, str(s.rate), s.monthly, s.currency) == (True, str(rate), monthly, "USD")
    assert f"adds {rate} % of" in str(s.message)


def test_r_dep_03_children_free_and_peasant_family_already_covered():
    child_cost = selectors.surcharge_for(country="EC", relationship="child",
                                         affiliation_type="voluntary", on=date(2026, 3, 1))
    assert (child_cost.applies, child_cost.monthly) == (False, Decimal("0.00"))
    peasant = selectors.surcharge_for(country="EC", relationship="spouse",
                                      affiliation_type="peasant", on=date(2026, 3, 1))
    assert str(peasant.message) == "Your contribution already covers your family."
    peru = selectors.surcharge_for(country="PE", relationship="spouse",
                                   affiliation_type="essalud_regular", on=date(2026, 3, 1))
    assert peru.applies is False


def test_demo_dependants_approves_a_spouse_and_a_child_and_leaves_one_pending(
        make_affiliate, administrator):
    administrator.is_superuser = True  # as the demo administrator is
    administrator.save()
    first = make_affiliate(id_number=HOLDER_ID)
    second = make_affiliate(id_number=OTHER_ID)
    from ventanilla.dependants.demo import demo_dependants

    out = demo_dependants(holders=[first, second], actor=administrator)
    assert [(r.relationship, r.status) for r in out] == [
        ("spouse", "approved"), ("child", "approved"), ("child", "submitted")]
    assert len(selectors.dependants_of(first, on=today())) == 2
    assert out[2].holder_affiliation.person == second


def test_r_reg_06_the_affiliate_is_told_the_decision_by_e_mail_in_their_language(
        holder, clerk, smtp_server, settings, django_capture_on_commit_callbacks):
    holder.language = "en"
    holder.save(update_fields=["language"])
    r = file(holder)
    with django_capture_on_commit_callbacks(execute=True):
        services.dependant_request_decide(request=r, approve=False, reason="No birth record",
                                          actor=clerk)
    message = smtp_server.wait_for(1)[0]
    assert message["To"] == holder.email
    assert r.case.reference in message["Subject"] and "rejected" in message["Subject"]
    body = message.get_content()
    assert "No birth record" in body and f"/portal/dependientes/solicitudes/{r.public_id}/" in body
