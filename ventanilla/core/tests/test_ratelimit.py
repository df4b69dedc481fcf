"""One rate-limit policy for every channel (core.ratelimit, called by the services): what one
channel used up, the other cannot use again. For each limited group, the attempts are split
between the web and the API; the first attempt over the limit is refused whichever channel
makes it, with a Retry-After on the API's 429."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


TOO_MANY = "Too many attempts"


def _api(path: str, data: dict):
    return Client(HTTP_ACCEPT_LANGUAGE="en").post(path, data, content_type="application/json")


def _web(path: str, data: dict):
    return Client(HTTP_ACCEPT_LANGUAGE="en").post(path, data)


def _registration_api(i):
    from conftest import VALID_EC

    answers = {**VALID_EC, "date_of_birth": "1988-04-12"}
    return _api("/api/v1/registrations", {"country": "EC", "email": f"p{i}@example.com",
                                          **answers})


CHANNELS = {
    # group: (how the web tries once, how the API tries once, what "allowed" answers)
    "registration.start": (
        lambda i: _web("/registro/EC/correo/", {"email": f"w{i}@example.com"}),
        _registration_api, {201, 302}),
    "cases.lookup": (
        lambda i: _web("/tramites/", {"reference": f"EC-AAAAAAAA{i}", "id_number": "1"}),
        lambda i: _api("/api/v1/cases/lookup", {"reference": f"EC-AAAAAAAA{i}",
                                                "id_number": "1"}),
        {200, 404, 422}),
    "affiliation.plan_status": (
        lambda i: _web("/consulta-sis/", {"id_number": "45678912"}),
        lambda i: _api("/api/v1/affiliations/plan-status", {"country": "PE",
                                                            "id_number": "45678912"}),
        {200, 404, 422}),
    "accounts.signin": (
        lambda i: _web("/portal/entrar/", {"document": "EC:cedula", "id_number": "1710034065",
                                           "password": f"wrong-{i}"}),
        lambda i: _api("/api/v1/auth/token", {"country": "EC", "id_type": "cedula",
                                              "id_number": "1710034065",
                                              "password": f"wrong-{i}"}),
        {401, 422}),
}


@pytest.mark.parametrize("first", ["web", "api"])
@pytest.mark.parametrize("group", sorted(CHANNELS))
def test_a_limit_used_up_on_one_channel_holds_on_the_other(group, first, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, group: "4/h"}
    settings.AXES_FAILURE_LIMIT = 1000  # the sign-in lock-out is tested on its own
    web, api, allowed = CHANNELS[group]
    one, other = (web, api) if first == "web" else (api, web)
    answers = [one(i).status_code for i in range(2)] + [other(i).status_code
                                                         for i in range(2, 4)]
    assert set(answers) <= allowed, answers
    # used up: the API answers 429 with when to try again, the web the page with the reason
    refused_api, refused_web = api(4), web(5)
    assert refused_api.status_code == 429, refused_api.content
    assert refused_api.json()["code"] in ("RATE_LIMITED", "SIGN_IN_LOCKED")
    assert int(refused_api["Retry-After"]) >= 1
    assert refused_web.status_code in (422, 429), refused_web.status_code
    assert TOO_MANY in refused_web.content.decode()


def test_the_api_tells_when_to_try_again(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "cases.lookup": "1/m"}
    client = Client()
    body = {"reference": "EC-AAAAAAAA1", "id_number": "1"}
    client.post("/api/v1/cases/lookup", body, content_type="application/json")
    refused = client.post("/api/v1/cases/lookup", body, content_type="application/json")
    assert refused.status_code == 429
    assert refused.json()["code"] == "RATE_LIMITED"
    assert 1 <= int(refused["Retry-After"]) <= 60


def test_registration_email_codes_are_limited_per_address_on_every_channel(settings):
    from ventanilla.notifications.models import OutboundMessage

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "registration.email_code": "2/h"}
    data = Client().post("/api/v1/registrations", {
        "country": "EC", "email": "ana@example.com"}, content_type="application/json").json()
    token = {"HTTP_AUTHORIZATION": f"Bearer {data['access_token']}"}
    resend = [Client().post(f"/api/v1/registrations/{data['reference']}/email-code",
                            **token).status_code for _ in range(3)]
    assert resend == [202, 202, 429]
    assert OutboundMessage.objects.filter(kind="registration.email_code").count() == 3


def test_the_limits_come_from_settings_and_the_environment(monkeypatch):
    import importlib

    from ventanilla.config.settings import base

    monkeypatch.setenv("RATE_LIMITS", "cases.lookup=99/m, accounts.signin=7/h")
    reloaded = importlib.reload(base)
    try:
        assert reloaded.RATE_LIMITS["cases.lookup"] == "99/m"
        assert reloaded.RATE_LIMITS["accounts.signin"] == "7/h"
        assert reloaded.RATE_LIMITS["registration.start"] == "20/h"
    finally:
        monkeypatch.delenv("RATE_LIMITS")
        importlib.reload(base)


def test_a_cache_that_is_down_does_not_turn_requests_into_errors(settings):
    """Redis gone: the attempt is not counted (logged), and the person is served."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": f"redis://127.0.0.1:{closed}/0"}}
    answer = Client().post("/api/v1/cases/lookup", {"reference": "EC-AAAAAAAA1",
                                                    "id_number": "1"},
                           content_type="application/json")
    assert answer.status_code == 404
