"""R-APT-03 / R-ID-02: mobile phone (with carrier) and e-mail confirmed before booking."""

from __future__ import annotations

import pytest

from ventanilla.core.errors import ValidationFailed
from ventanilla.people.services import person_contact_update

pytestmark = pytest.mark.django_db


def test_r_apt_03_the_carrier_comes_from_the_number_when_known(make_affiliate):
    person = make_affiliate()
    person_contact_update(person=person, mobile_phone="099 123 4567", carrier="",
                          email="ana.paz@example.com")
    person.refresh_from_db()
    assert person.mobile_phone == "+593991234567"
    assert person.carrier  # read from the number's prefix by phonenumbers
    assert person.email == "ana.paz@example.com" and person.user.email == "ana.paz@example.com"


def test_r_id_02_bad_phone_and_e_mail_are_refused_together_and_nothing_is_saved(
        make_affiliate):
    person = make_affiliate()
    with pytest.raises(ValidationFailed) as exc:
        person_contact_update(person=person, mobile_phone="12", carrier="",
                              email="not-an-email")
    assert set(exc.value.fields) >= {"mobile_phone", "email"}
    person.refresh_from_db()
    assert person.mobile_phone == "+593991234567" and person.email == "ana@example.com"
