"""The demo's sick-leave certificates (issue 13, "Done means"): every state in both
countries for the demo validators, and the walk the README describes."""

from __future__ import annotations

from dataclasses import fields

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone

from ventanilla.certificates.models import Certificate
from ventanilla.demo.certificate_papers import INSTITUTION, LATE_WALK, PAPERS

pytestmark = pytest.mark.django_db
ALL_CHECKS = ["letterhead", "typed", "stamp", "no_amendments", "legible"]
S = Certificate.Status


def by_key() -> dict[str, Certificate]:
    """The demo certificates by their paper's key (matched on the scan's name)."""
    out = {}
    for cert in Certificate.objects.select_related("case", "patient").prefetch_related("files"):
        if cert.source == Certificate.Source.INSTITUTION:
            key = next(s["key"] for s in INSTITUTION if s["country"] == cert.country)
        else:
            name = cert.files.get(role="scan").original_name
            key = name.removeprefix("certificado-").rsplit(".", 1)[0]
        out[key] = cert
    return out


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    """The demo loaded once for the module (it takes seconds) and rolled back after it;
    each test runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("loaddemo")
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_loaded):
    return by_key()


@pytest.mark.parametrize("country", ["EC", "PE"])
def test_r_cer_01_to_05_every_state_exists_for_each_countrys_validator(demo, country):
    from ventanilla.countries.registry import get_pack

    mine = [c for c in demo.values() if c.country == country]
    today = get_pack(country).today()
    private = [c for c in mine if c.source == Certificate.Source.PRIVATE]
    assert {c.status for c in private} == {S.SUBMITTED, S.RETURNED, S.VALIDATED, S.REJECTED}
    waiting = [c for c in private if c.status == S.SUBMITTED]
    assert len(waiting) >= 5 and len({c.due_on for c in waiting}) >= 2
    assert [c for c in waiting if c.due_on < today], "one overdue"
    assert {c.kind for c in private if c.status == S.VALIDATED} >= {
        "illness", "hospitalisation", "maternity"}
    [rejected] = [c for c in private if c.status == S.REJECTED]
    assert len(rejected.rejection_reasons) == 3
    [returned] = [c for c in private if c.status == S.RETURNED]
    assert returned.decision_note and returned.case.status == "action_required"
    [issued] = [c for c in mine if c.source == Certificate.Source.INSTITUTION]
    assert issued.status == S.VALIDATED and issued.booking.status == "attended"
    overlapping = [c for c in waiting if any(f["field"] == "rest_start" for f in c.flags)]
    assert len(overlapping) == 1 and overlapping[0].flags[0]["code"] == "overlap"
    assert {f.content_type for c in private for f in c.files.all()} <= {
        "image/jpeg", "image/png", "application/pdf"}


def test_r_cer_04_the_demo_holds_a_late_ecuadorian_one_and_peruvian_citts(demo):
    late = demo["ec_late"]
    assert late.status == S.SUBMITTED and late.late_reason
    assert [f["field"] for f in late.flags] == ["late_reason"]
    assert demo["pe_25_days"].rest_days == 25 and demo["pe_25_days"].status == S.SUBMITTED
    citt = demo["pe_citt"]
    assert citt.status == S.VALIDATED and citt.official_number.startswith("CITT-PE-")
    assert not [c for c in demo.values() if c.country == "EC" and c.official_number]


def test_r_cer_05_demo_certificates_happened_on_their_days_never_in_the_future(demo):
    from ventanilla.cases.models import CaseEvent

    now = timezone.now()
    assert not CaseEvent.objects.filter(case__certificate__isnull=False, at__gt=now).exists()
    for cert in demo.values():
        assert cert.created_at <= now and cert.case.created_at == cert.created_at
        if cert.decided_at is not None:
            assert cert.created_at <= cert.decided_at <= now
    # the registry's name and ID, as the ID card prints them (R-CER-01)
    assert {c.patient_id_number == c.patient.id_number for c in demo.values()} == {True}


def test_done_means_the_walk_through_the_desk_in_both_countries(demo):
    from ventanilla.accounts.models import User
    from ventanilla.certificates import services

    ec, pe = User.objects.get(username="validador.ec"), User.objects.get(username="validador.pe")
    for cert, actor in ((demo["ec_valid"], ec), (demo["ec_hospitalisation"], ec),
                        (demo["ec_maternity"], ec), (demo["pe_hospitalisation"], pe)):
        assert services.certificate_validate(certificate=cert, actor=actor,
                                             checklist=ALL_CHECKS).status == S.VALIDATED
    rejected = services.certificate_reject(
        certificate=demo["ec_three_reasons"], actor=ec,
        reasons=["no_letterhead", "no_stamp", "amended"])
    assert rejected.rejection_reasons == ["no_letterhead", "no_stamp", "amended"]
    year = timezone.localdate().year
    before = Certificate.objects.filter(official_number__startswith=f"CITT-PE-{year}-").count()
    citt = services.certificate_validate(certificate=demo["pe_25_days"], actor=pe,
                                         checklist=ALL_CHECKS)
    assert citt.official_number == f"CITT-PE-{year}-{before + 1:07d}"
    # the employer's check: dates and days, never the diagnosis
    answer = services.certificate_verify(reference=demo["ec_valid"].case.reference,
                                         id_number="0912345675")
    assert answer.validated and answer.rest_days == 3
    assert not {f.name for f in fields(answer)} & {"diagnosis", "icd10_code", "kind"}


def test_r_cer_04_the_late_paper_of_the_readme_asks_for_its_justification(demo):
    from ventanilla.certificates import services
    from ventanilla.certificates.checks import CertificateIn
    from ventanilla.demo.certificate_papers import DOCTORS
    from ventanilla.people.models import Person

    pedro = Person.objects.get(country="EC", id_number=LATE_WALK["patient"])
    typed = CertificateIn(
        kind="illness", **DOCTORS[LATE_WALK["doctor"]], issued_on=LATE_WALK["issued_on"],
        issued_country="EC", patient_names="Pedro Pablo Cevallos Intriago",
        patient_id_number=pedro.id_number, diagnosis="Infección respiratoria aguda",
        icd10_code=LATE_WALK["icd10"], rest_start=LATE_WALK["rest_start"],
        rest_end=LATE_WALK["rest_end"], rest_days=LATE_WALK["rest_days"],
        rest_days_words=LATE_WALK["rest_days_words"])
    checked = services.certificate_check(submitter=pedro, patient=pedro, data=typed)
    assert [(f.field, f.message) for f in checked.refusals] == [("late_reason", (
        f"The last day to submit this certificate was {LATE_WALK['last_day']}. Write why it "
        "is submitted late: the validator decides whether the reason is accepted."))]


def test_demo_validators_and_clinicians_sign_in_to_the_staff_pages(demo):
    from ventanilla.accounts.models import User

    for username, perm in (("validador.ec", "certificates.review_certificate"),
                           ("validador.pe", "certificates.review_certificate"),
                           ("medico.ec", "certificates.issue_certificate"),
                           ("medico.pe", "certificates.issue_certificate")):
        user = User.objects.get(username=username)
        assert user.has_perm(perm) and user.country == username[-2:].upper()
        r = Client().post("/staff/entrar/", {"username": username,
                                             "password": "Ventanilla-demo-2026"})
        assert r.status_code == 302, username
    assert User.objects.get(username="medico.ec").centre.code == "ec-med-quito-central"


def test_every_paper_is_in_the_demo_once(demo):
    assert sorted(demo) == sorted([p.key for p in PAPERS] + [s["key"] for s in INSTITUTION])


@pytest.mark.parametrize("days, words", [(1, "uno"), (3, "tres"), (16, "dieciséis"),
                                         (25, "veinticinco"), (30, "treinta"),
                                         (98, "noventa y ocho"), (120, "ciento veinte")])
def test_r_cer_04_the_demo_papers_write_the_days_in_words(days, words):
    from ventanilla.demo.scans import days_in_words

    assert days_in_words(days) == words


@pytest.mark.parametrize("render, stored", [("jpeg", "image/jpeg"), ("png", "image/png"),
                                            ("pdf", "application/pdf")])
def test_demo_scans_pass_the_upload_check_as_any_upload(render, stored):
    from ventanilla.demo import scans
    from ventanilla.demo.certificate_papers import PAPERS
    from ventanilla.demo.certificates import typed
    from ventanilla.registration import uploads

    paper = next(p for p in PAPERS if p.key == "ec_three_reasons")
    drawing = scans.paper(typed(paper), id_label="cédula", flaws=paper.flaws)
    data = getattr(scans, render)(drawing)
    prepared = uploads.upload_prepare(data=data, limits=uploads.UploadLimits.from_settings())
    assert prepared.content_type == stored and len(prepared.data) < 100_000
    texts = [item[3] for item in drawing.items if item[0] == "text"]
    assert "JARAMILLO VERA MARCELA INÉS" in " ".join(texts)
    assert not any("Clínica La Merced".upper() in t for t in texts)   # no letterhead
