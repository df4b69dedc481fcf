"""With JavaScript off, the pages still work: links, the language switcher and every form
POST and redirect; errors still show the summary (it just does not take focus)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .support import (
    PEOPLE,
    follow,
    html_lang,
    outbox_size,
    path_of,
    question_path,
    submit,
    wait_for_code,
)

pytestmark = pytest.mark.browser


def test_first_steps_of_the_registration_without_javascript(new_page):
    from ventanilla.registration.models import Application

    person = PEOPLE["EC"]
    page = new_page(java_script_enabled=False)

    page.goto("/")
    # The GOV.UK snippet did not run: no "js-enabled" class on <body>.
    expect(page.locator("body")).not_to_have_class("js-enabled")
    expect(page.locator("body")).to_have_class("govuk-template__body")
    assert html_lang(page) == "es"
    submit(page, ".ventanilla-language-switcher button[type=submit]")
    assert path_of(page) == "/" and html_lang(page) == "en"
    submit(page, ".ventanilla-language-switcher button[type=submit]")
    assert path_of(page) == "/" and html_lang(page) == "es"

    follow(page, "main a[href='/registro/']")
    assert path_of(page) == "/registro/"
    page.check("input[name=country][value=EC]")
    submit(page)
    assert path_of(page) == "/registro/EC/correo/"
    page.fill("input[name=email]", "nojs@example.com")
    sent = outbox_size()
    submit(page)
    assert path_of(page) == "/solicitud/codigo/"
    page.fill("input[name=code]", wait_for_code(after=sent))
    submit(page)
    assert path_of(page) == "/solicitud/"

    follow(page, f"main a[href='{question_path('nombre')}']")
    with page.expect_navigation(wait_until="load") as navigation:
        page.locator("main form[method=post] button[type=submit]").click()
    assert navigation.value.status == 422
    assert page.title().startswith("Error:")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.locator(".govuk-error-summary a[href='#id_given_names']")).to_have_count(1)
    page.fill("input[name=given_names]", person["given_names"])
    page.fill("input[name=family_names]", person["family_names"])
    submit(page)
    assert path_of(page) == question_path("fecha-de-nacimiento")
    for part, value in zip(("day", "month", "year"), person["dob"], strict=True):
        page.fill(f"input[name=date_of_birth_{part}]", value)
    submit(page)
    assert path_of(page) == question_path("nacionalidad")
    page.select_option("select[name=nationality]", person["nationality"])
    submit(page)
    assert path_of(page) == "/solicitud/"

    application = Application.objects.get(email="nojs@example.com")
    assert (application.given_names, application.family_names) == (
        person["given_names"], person["family_names"])
    assert application.date_of_birth.isoformat() == "1988-04-12"
    assert application.nationality == "EC"
    assert page.browsing.external_requests == []
