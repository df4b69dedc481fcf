"""Referrals at the counter in a browser (R-APT-08, R-APT-12): an agent opens a person's
page, sees that they have no referral, opens the referral form, sends it with mistakes (the
error state), corrects it and sees the referral listed; axe on each page, in Spanish and in
English, at a phone-sized viewport."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from ventanilla.core.dates import day_text

from .support import (
    PHONE,
    error_state_problems,
    follow,
    html_lang,
    path_of,
    submit,
)

pytestmark = pytest.mark.browser

PASSWORD = "Staff-password-123"



def press(page, *, status: int) -> None:
    with page.expect_navigation(wait_until="load") as navigation:
        page.locator("main form[method=post] button[type=submit]").click()
    assert navigation.value.status == status, navigation.value.status


@pytest.mark.parametrize("language", ["es", "en"])
def test_r_apt_08_agent_issues_a_referral_at_the_counter(new_page, a11y, make_affiliate,
                                                        language):
    from ventanilla.accounts.roles import Role
    from ventanilla.accounts.services import staff_create
    from ventanilla.core.models import AuditEntry
    from ventanilla.countries.registry import get_pack
    from ventanilla.scheduling.defaults import medical_services_ensure
    from ventanilla.scheduling.models import Centre, Doctor, Referral

    centre = Centre.objects.create(country="EC", kind=Centre.Kind.MEDICAL, code="ec-cs-1",
                                   name="Centro de Salud N.º 1", subdivision_code="170150",
                                   address="Av. América")
    staff_create(username="agente.ec", password=PASSWORD, role=Role.AGENT, country="EC",
                 centre=centre)
    Doctor.objects.create(country="EC", given_names="Gabriela", family_names="Núñez Ortiz",
                          registration_code="MSP-1")
    eyes = {s.code: s for s in medical_services_ensure("EC")}["ophthalmology"]
    person = make_affiliate()
    today = timezone.localdate(timezone=get_pack("EC").tz)
    page = new_page(viewport=PHONE, language="en" if language == "en" else None)
    problems: list[str] = []

    page.goto("/staff/entrar/")
    page.fill("input[name=username]", "agente.ec")
    page.fill("input[name=password]", PASSWORD)
    submit(page)

    # the person's page: no referral yet, and the way to issue one
    person_path = f"/staff/personas/{person.public_id}/"
    form_path = f"{person_path}referencias/nueva/"
    page.goto(person_path)
    assert html_lang(page) == language
    expect(page.locator("#referrals + p")).to_be_visible()
    a11y.check(page, f"[{language}] person, no referrals")
    follow(page, f"main a[href='{form_path}']")
    assert path_of(page) == form_path

    # the form, prefilled: the agent's centre, today, today + 90 days
    assert html_lang(page) == language
    expect(page.locator("input[name=issued_by]")).to_have_value("Centro de Salud N.º 1")
    expect(page.locator("input[name=issued_on_year]")).to_have_value(str(today.year))
    expiry = today + timedelta(days=90)
    expect(page.locator("input[name=expires_on_day]")).to_have_value(str(expiry.day))
    a11y.check(page, f"[{language}] referral form")

    # the error state: no specialty, an expiry before the issue date
    page.fill("input[name=expires_on_year]", str(today.year - 1))
    press(page, status=422)
    problems += error_state_problems(page, language, "referral form, errors")
    expect(page.locator(".govuk-error-summary a[href='#id_specialty_0']")).to_have_count(1)
    expect(page.locator(".govuk-error-summary a[href='#id_expires_on_0']")).to_have_count(1)
    expect(page.locator("#id_expires_on_error")).to_be_visible()
    a11y.check(page, f"[{language}] referral form, error state")
    assert not Referral.objects.exists()

    # corrected: recorded, back on the person's page with the referral listed
    page.check("input[name=specialty][value=ophthalmology]")
    page.fill("input[name=expires_on_day]", str(expiry.day))
    page.fill("input[name=expires_on_month]", str(expiry.month))
    page.fill("input[name=expires_on_year]", str(expiry.year))
    press(page, status=200)
    assert path_of(page) == person_path
    with translation.override(language):
        label = str(eyes.label)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(label)
    with translation.override(language):
        expiry_text = day_text(expiry)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(expiry_text)
    expect(page.locator("#referrals + [role=region] .govuk-summary-card")).to_have_count(1)
    expect(page.locator("#referrals + [role=region]")).to_contain_text(label)
    a11y.check(page, f"[{language}] person, referral listed")

    referral = Referral.objects.get(person=person)
    assert (referral.specialty, referral.centre, referral.expires_on) == (eyes, centre, expiry)
    assert AuditEntry.objects.filter(action="referral.issue",
                                     subject_ref=person.subject_ref).count() == 1
    assert page.browsing.external_requests == []
    assert page.browsing.page_errors == []
    assert not problems, f"[{language}] error states: {problems}"
    a11y.assert_clean()
