"""The clave's help text says exactly the rule that is enforced (issue 11, item 13: it
promised 12 characters while the validators asked for 10): the text is read from the
validators, and each sentence of it is checked against them."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from ventanilla.accounts.clave import CLAVE_MAX_LENGTH, clave_rule_text, clave_validate
from ventanilla.channels.portal.forms import ClaveLinkForm
from ventanilla.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db

VALIDATORS = "django.contrib.auth.password_validation."


def _refused(person, password: str) -> bool:
    user = get_user_model()(username=f"{person.country}:{person.id_type}:{person.id_number}")
    try:
        clave_validate(person, user, password)
    except ValidationFailed:
        return True
    return False


@pytest.fixture
def ana(make_affiliate):
    return make_affiliate(given_names="Ana", family_names="Paz Vera",
                          email="anapazvera@example.com", with_clave=False)


def test_the_help_text_is_the_rule_in_force():
    assert clave_rule_text() == (
        "It must not look like your name, ID number or e-mail address. "
        "Use at least 10 characters and at most 128. "
        "It must not be a commonly used password. It must not be only digits. "
        "A few words you can remember work well. You may paste it from a password manager.")
    assert str(ClaveLinkForm().fields["password"].help_text) == clave_rule_text()
    assert ClaveLinkForm().fields["password"].max_length == CLAVE_MAX_LENGTH


def test_each_sentence_of_the_help_text_holds(ana):
    assert _refused(ana, "x7k" * 3)                        # 9 < 10 characters
    assert not _refused(ana, "x7k" * 3 + "q")              # 10 characters
    assert _refused(ana, "x7kq" * 32 + "z")                # 129 > 128 characters
    assert not _refused(ana, "x7kq" * 32)                  # 128
    assert _refused(ana, "48213957604")                    # only digits
    assert _refused(ana, "password123")                    # commonly used
    assert _refused(ana, "anapazvera@example")             # like the e-mail address
    assert _refused(ana, "Paz Vera Ana")                   # like the name, before any account


def test_the_text_follows_the_validators_when_they_change(ana, settings):
    settings.AUTH_PASSWORD_VALIDATORS = [
        {"NAME": VALIDATORS + "MinimumLengthValidator", "OPTIONS": {"min_length": 14}}]
    assert clave_rule_text() == (
        "Use at least 14 characters and at most 128. "
        "A few words you can remember work well. You may paste it from a password manager.")
    assert _refused(ana, "x7k" * 4 + "q")                  # 13
    assert not _refused(ana, "48213957604123")             # digits allowed now


def test_the_help_text_is_translated(settings):
    from django.utils import translation

    with translation.override("es"):
        text = clave_rule_text()
    assert text.startswith("No debe parecerse a su nombre")
    assert "Use al menos 10 caracteres y como máximo 128." in text
