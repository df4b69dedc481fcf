"""Every question page of the registration, opened on an application that has no answer
yet (a bookmark, the browser's Back, a link shared from another device): it shows its
question or sends the person to the page it is built from, never an error (R-REG-02)."""

from __future__ import annotations

import pytest
from django.test import Client

from ventanilla.channels.web import session, steps

pytestmark = pytest.mark.django_db


@pytest.fixture
def empty_client(db):
    """A browser working on a confirmed application without any answer."""
    from ventanilla.core.channels import Channel
    from ventanilla.registration import services

    app = services.application_start(country="EC", channel=Channel.WEB,
                                      email="ana@example.com", language="es")
    app.email_verified_at = app.created_at
    app.save(update_fields=["email_verified_at"])
    client = Client()
    s = client.session
    s[session.KEY] = str(app.public_id)
    s.save()
    return client


def _first_prerequisite(step: steps.Step) -> str | None:
    chain = steps.prerequisites(step)
    return chain[0].slug if chain else None


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("step", steps.STEPS, ids=[s.slug for s in steps.STEPS])
def test_r_reg_02_a_question_page_opened_first_asks_its_question_or_the_one_it_needs(
        empty_client, step, method):
    r = getattr(empty_client, method)(f"/solicitud/preguntas/{step.slug}/")
    needed = _first_prerequisite(step)
    if needed is not None:
        assert (r.status_code, r["Location"]) == (302, f"/solicitud/preguntas/{needed}/")
    elif method == "get":
        assert r.status_code == 200
    elif step.slug == "situacion":  # every question of it is optional: sent empty is an answer
        assert (r.status_code, r["Location"]) == (302, "/solicitud/preguntas/tipo-de-afiliacion/")
    else:
        assert r.status_code == 422


@pytest.mark.parametrize("step", [s for s in steps.STEPS if s.needs],
                         ids=[s.slug for s in steps.STEPS if s.needs])
def test_coming_back_from_the_check_page_keeps_the_way_back(empty_client, step):
    r = empty_client.get(f"/solicitud/preguntas/{step.slug}/?volver=revisar")
    assert r["Location"] == f"/solicitud/preguntas/{_first_prerequisite(step)}/?volver=revisar"


def test_the_dependencies_are_the_pages_that_build_the_question():
    """The document number is asked with the type of document in its label, a city among
    the cantons of the province chosen."""
    needs = {s.slug: s.needs for s in steps.STEPS if s.needs}
    assert needs == {"numero-de-documento": "tipo-de-documento", "lugar-2": "lugar-1",
                     "lugar-3": "lugar-2"}
    assert [s.slug for s in steps.prerequisites(steps.BY_SLUG["lugar-3"])] == [
        "lugar-1", "lugar-2"]


def test_a_city_page_after_its_province_shows_the_cantons_of_that_province(empty_client):
    assert empty_client.post("/solicitud/preguntas/lugar-1/", {"place": "17"}).status_code == 302
    r = empty_client.get("/solicitud/preguntas/lugar-2/")
    assert r.status_code == 200
    assert 'value="1701"' in r.content.decode()
