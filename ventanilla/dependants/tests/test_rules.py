"""Pure rules of the dependants procedure: papers, channels, eligibility, cost."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ventanilla.core.channels import Channel
from ventanilla.dependants import rules
from ventanilla.dependants.errors import (
    ChildTooOld,
    DependantRefused,
    InPersonOnly,
    InscriptionMissing,
)


def codes(items):
    return [i.code for i in items]


def test_r_dep_02_ecuador_spouse_married_abroad_checklist():
    items = rules.checklist("EC", "spouse", marriage_abroad=True)
    assert codes(items) == ["extension_form", "holder_id", "spouse_id",
                            "marriage_certificate_apostilled", "certified_translation",
                            "civil_registry_inscription"]
    by_code = {i.code: i for i in items}
    assert str(by_code["holder_id"].label) == "The affiliate's cédula"
    assert str(by_code["spouse_id"].label) == "The spouse's or partner's cédula or passport"
    assert by_code["certified_translation"].required is False
    assert str(by_code["certified_translation"].hint) == "Only if the certificate is not in Spanish."
    assert all(i.required for i in items if i.code != "certified_translation")


def test_r_dep_03_ecuador_de_facto_partner_proves_the_union_with_a_notarised_declaration():
    items = rules.checklist("EC", "spouse", union_kind="de_facto")
    assert codes(items) == ["extension_form", "holder_id", "spouse_id", "union_declaration"]
    assert str(items[-1].label) == "Notarised declaration of the de-facto union"
    # "married abroad" means nothing for a de-facto union
    assert rules.is_abroad_marriage("spouse", "de_facto", True) is False


def test_r_dep_03_ecuador_spouse_married_in_ecuador():
    assert codes(rules.checklist("EC", "spouse")) == [
        "extension_form", "holder_id", "spouse_id", "marriage_certificate"]


@pytest.mark.parametrize(("union_kind", "expected", "label"), [
    ("marriage", "marriage_certificate", "Marriage certificate issued within the last months"),
    ("de_facto", "union_recognition", "Recognition of the union (unión de hecho)"),
], ids=["marriage", "de-facto"])
def test_r_dep_03_peru_spouse_recent_marriage_certificate_or_recognised_union(
        union_kind, expected, label):
    items = rules.checklist("PE", "spouse", union_kind=union_kind)
    assert codes(items) == ["holder_id", "spouse_id", expected]
    assert str(items[-1].label) == label


@pytest.mark.parametrize(("country", "expected"), [
    ("EC", ["holder_id", "birth_certificate", "child_id"]),
    ("PE", ["holder_id", "child_id"]),
    ("ZZ", ["holder_id", "child_id"]),
], ids=["ecuador", "peru", "any-other-country"])
def test_r_dep_01_child_checklist(country, expected):
    assert codes(rules.checklist(country, "child")) == expected


def test_unknown_relationship_and_union_kind_are_refused_with_the_field():
    with pytest.raises(DependantRefused) as exc:
        rules.checklist("EC", "cousin")
    assert exc.value.fields == {"relationship": "Choose spouse or partner, or child"}
    with pytest.raises(DependantRefused) as exc:
        rules.checklist("EC", "spouse", union_kind="friendship")
    assert set(exc.value.fields) == {"union_kind"}


@pytest.mark.parametrize(("country", "relationship", "abroad", "channel", "allowed"), [
    ("EC", "spouse", True, Channel.IN_PERSON, True),
    ("EC", "spouse", True, Channel.WEB, False),
    ("EC", "spouse", True, Channel.API, False),
    ("EC", "spouse", True, Channel.PHONE, False),
    ("EC", "spouse", True, Channel.WHATSAPP, False),
    ("EC", "spouse", False, Channel.WEB, True),
    ("EC", "child", True, Channel.WEB, True),
    ("PE", "spouse", True, Channel.WEB, True),
], ids=["ec-abroad-counter", "ec-abroad-web", "ec-abroad-api", "ec-abroad-phone",
        "ec-abroad-whatsapp", "ec-married-at-home-web", "ec-child-web", "pe-abroad-web"])
def test_r_dep_02_ecuador_spouse_married_abroad_is_filed_in_person_only(
        country, relationship, abroad, channel, allowed):
    assert rules.filing_channel_allowed(country, relationship, abroad, channel) is allowed


def test_r_dep_02_refused_online_with_the_checklist_to_bring():
    with pytest.raises(InPersonOnly) as exc:
        rules.ensure_channel_allowed(country="EC", relationship="spouse", marriage_abroad=True,
                                     union_kind="marriage", channel=Channel.WEB)
    body = exc.value.as_dict()
    assert body["code"] == "IN_PERSON_ONLY"
    assert "Book a visit to a service centre" in body["message"]
    assert set(body["fields"]) == {"channel"}
    assert [i["code"] for i in body["checklist"]] == codes(
        rules.checklist("EC", "spouse", marriage_abroad=True))


def test_r_dep_01_a_child_is_eligible_until_the_day_before_the_18th_birthday():
    born = date(2008, 5, 20)
    rules.ensure_eligible(country="EC", relationship="child", born=born, on=date(2026, 5, 19))
    with pytest.raises(ChildTooOld) as exc:
        rules.ensure_eligible(country="EC", relationship="child", born=born,
                              on=date(2026, 5, 20))
    assert exc.value.fields == {"date_of_birth": (
        "Children can be covered as dependants only until their 18th birthday (Ley de "
        "Seguridad Social, art. 11).")}
    assert rules.is_minor(date(2008, 2, 29), date(2026, 2, 28)) is True
    assert rules.is_minor(date(2008, 2, 29), date(2026, 3, 1)) is False


def test_r_dep_02_ecuador_spouse_married_abroad_needs_the_inscription():
    with pytest.raises(InscriptionMissing) as exc:
        rules.ensure_eligible(country="EC", relationship="spouse", born=date(1980, 1, 1),
                              on=date(2026, 1, 1), marriage_abroad=True)
    assert set(exc.value.fields) == {"inscription_reference"}
    rules.ensure_eligible(country="EC", relationship="spouse", born=date(1980, 1, 1),
                          on=date(2026, 1, 1), marriage_abroad=True,
                          inscription_reference="RC-2025-0001")
    rules.ensure_eligible(country="PE", relationship="spouse", born=date(1980, 1, 1),
                          on=date(2026, 1, 1), marriage_abroad=True)


def test_r_dep_03_children_at_no_cost_spouse_surcharge_message():
    assert str(rules.surcharge_none("child").message) == "Children under 18 are covered at no cost."
    assert rules.surcharge_none("child").monthly == Decimal("0.00")
    s = rules.surcharge_spouse(rate=Decimal("3.41"), base="sbu", base_label="The basic salary",
                               monthly=Decimal("16.44"), currency="USD")
    assert str(s.message) == ("Covering a spouse or partner adds 3.41 % of the basic salary to "
                              "the monthly contribution: 16.44 USD a month.")
    s = rules.surcharge_spouse(rate=Decimal("4.15"), base="pension", base_label="The pension",
                               monthly=None, currency="USD")
    assert str(s.message) == ("Covering a spouse or partner adds 4.15 % of the pension to the "
                              "monthly contribution.")


def test_labels_follow_the_language():
    from django.utils import translation

    item = rules.checklist("EC", "spouse", marriage_abroad=True)[0]
    with translation.override("en"):
        assert item.as_dict()["label"] == "Coverage extension request form"
