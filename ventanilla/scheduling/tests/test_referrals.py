"""Recording a referral (R-APT-08, R-APT-12): the dates rule and ``referral_issue``'s checks.
The staff page that calls it: channels/tests/test_staff_referrals.py."""

from __future__ import annotations

from datetime import date

import pytest

from ventanilla.core.errors import PermissionDenied, ValidationFailed
from ventanilla.scheduling.defaults import medical_services_ensure
from ventanilla.scheduling.models import Doctor, Referral
from ventanilla.scheduling.referrals import (
    referral_date_problems,
    referral_expiry_default,
    referral_issue,
)

TODAY = date(2030, 4, 29)


@pytest.mark.parametrize("issued_on,expires_on,problems", [
    (TODAY, date(2030, 7, 28), {}),
    (date(2029, 4, 29), TODAY, {}),
    (TODAY, date(2031, 4, 29), {}),
    (TODAY, date(2031, 4, 30), {"expires_on": "The expiry date must be no more than one year "
                                              "after the issue date."}),
    (TODAY, date(2030, 4, 28), {"expires_on": "The expiry date must be on or after the issue "
                                              "date."}),
    (date(2030, 1, 2), date(2030, 4, 28), {
        "expires_on": "The expiry date must be today or later: an expired referral cannot "
                      "be used."}),
    (date(2030, 4, 30), date(2030, 4, 29), {
        "issued_on": "The issue date must be today or earlier.",
        "expires_on": "The expiry date must be on or after the issue date."}),
], ids=["90-days", "issued-a-year-ago", "exactly-a-year", "over-a-year", "before-issue",
        "already-expired", "issued-tomorrow"])
def test_r_apt_08_referral_date_problems(issued_on, expires_on, problems):
    assert referral_date_problems(issued_on=issued_on, expires_on=expires_on,
                                  today=TODAY) == problems


def test_r_apt_08_referral_expiry_default_is_90_days():
    assert referral_expiry_default(TODAY) == date(2030, 7, 28)


@pytest.mark.django_db
class TestReferralIssue:
    @pytest.fixture
    def eyes(self):
        return {s.code: s for s in medical_services_ensure("EC")}["ophthalmology"]

    def issue(self, person, specialty, actor, **kwargs):
        kwargs.setdefault("issued_by", "Centro de Salud N.º 1")
        kwargs.setdefault("issued_on", TODAY)
        kwargs.setdefault("expires_on", date(2030, 7, 28))
        return referral_issue(person=person, specialty=specialty, actor=actor, today=TODAY,
                              **kwargs)

    def test_r_apt_08_referral_issue_records_and_audits(self, agent, make_affiliate, eyes):
        from ventanilla.core.models import AuditEntry

        person = make_affiliate()
        referral = self.issue(person, eyes, agent, issued_by="  Dr.  Vera ")
        assert (referral.issued_by, referral.status) == ("Dr. Vera", Referral.Status.ACTIVE)
        assert AuditEntry.objects.get(action="referral.issue").object_id == str(
            referral.public_id)

    def test_r_apt_08_referral_issue_needs_the_permission(self, reviewer, make_affiliate, eyes):
        with pytest.raises(PermissionDenied):
            self.issue(make_affiliate(), eyes, reviewer)
        assert not Referral.objects.exists()

    @pytest.mark.parametrize("case,field", [
        ("first_level", "specialty"), ("other_country", "specialty"),
        ("foreign_doctor", "doctor"), ("over_a_year", "expires_on"),
        ("issued_tomorrow", "issued_on"),
    ])
    def test_r_apt_12_referral_issue_refuses(self, agent, make_affiliate, eyes, case, field):
        person = make_affiliate()
        specialty, kwargs = eyes, {}
        if case == "first_level":
            specialty = {s.code: s for s in medical_services_ensure("EC")}["general_medicine"]
        elif case == "other_country":
            specialty = {s.code: s for s in medical_services_ensure("PE")}["ophthalmology"]
        elif case == "foreign_doctor":
            kwargs["doctor"] = Doctor.objects.create(country="PE", given_names="Rosa",
                                                     family_names="Quispe",
                                                     registration_code="CMP-1")
        elif case == "over_a_year":
            kwargs["expires_on"] = date(2031, 5, 1)
        else:
            kwargs["issued_on"] = date(2030, 4, 30)
        with pytest.raises(ValidationFailed) as exc:
            self.issue(person, specialty, agent, **kwargs)
        assert field in exc.value.fields
        assert not Referral.objects.exists()


def test_r_apt_08_a_referral_is_usable_only_active_and_in_force():
    from datetime import date

    from ventanilla.scheduling.models import Referral

    referral = Referral(status=Referral.Status.ACTIVE, issued_on=date(2030, 1, 10),
                        expires_on=date(2030, 4, 10))
    assert referral.usable_on(date(2030, 1, 10)) and referral.usable_on(date(2030, 4, 10))
    assert not referral.usable_on(date(2030, 1, 9))
    assert not referral.usable_on(date(2030, 4, 11))
    for status in (Referral.Status.USED, Referral.Status.VOID):
        referral.status = status
        assert not referral.usable_on(date(2030, 2, 1))
