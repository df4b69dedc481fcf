"""R-AFF-04 / issue 11: failed sign-ins of one ID number add up across addresses, with
growing delays, a lock the person is told about by e-mail, and a new clave that lifts it.
Each address below is a different client (REMOTE_ADDR), as an attacker with many would be."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ventanilla.accounts import throttle
from ventanilla.accounts.models import SignInThrottle

pytestmark = pytest.mark.django_db

USERNAME = "EC:cedula:1710034065"


def _token(address: str, password: str):
    return Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en").post(
        "/api/v1/auth/token", {"country": "EC", "id_type": "cedula",
                               "id_number": "1710034065", "password": password},
        content_type="application/json")


@pytest.fixture
def ana(make_affiliate):
    return make_affiliate()


@pytest.fixture
def clock(monkeypatch):
    """The throttle's clock, moved by the test (the delays are minutes long)."""
    state = {"now": timezone.now()}
    monkeypatch.setattr(throttle.timezone, "now", lambda: state["now"])

    def advance(seconds: float):
        state["now"] += timedelta(seconds=seconds)

    return advance


def test_failures_from_thirty_addresses_add_up_and_delay_the_next_try(ana, clock, settings):
    settings.SIGNIN_DELAY_AFTER, settings.SIGNIN_DELAY_FIRST_SECONDS = 5, 30
    settings.SIGNIN_LOCK_AFTER = 10
    answers = [_token(f"10.0.0.{i}", "wrong clave").status_code for i in range(1, 6)]
    assert answers == [401] * 5
    # the sixth, from yet another address, must wait: refused without trying the clave
    refused = _token("10.0.0.6", "una clave larga 2026")
    assert refused.status_code == 429 and refused.json()["code"] == "SIGN_IN_LOCKED"
    assert "Wait 30 seconds" in refused.json()["message"]
    assert 1 <= int(refused["Retry-After"]) <= 31
    assert SignInThrottle.objects.get(username=USERNAME).failures == 5  # not counted
    clock(31)
    assert _token("10.0.0.7", "wrong clave").status_code == 401
    second = _token("10.0.0.8", "wrong clave")
    assert second.status_code == 429 and "Wait 1 minute" in second.json()["message"]


def test_r_aff_04_the_limit_locks_the_id_tells_the_owner_and_a_new_clave_unlocks_it(
        ana, clock, settings, smtp, django_capture_on_commit_callbacks):
    from ventanilla.accounts import clave

    settings.SIGNIN_DELAY_AFTER, settings.SIGNIN_LOCK_AFTER = 3, 6
    settings.SIGNIN_DELAY_FIRST_SECONDS, settings.SIGNIN_LOCK_HOURS = 10, 24
    guesses = 0
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(40):  # forty addresses, each waiting out its delay
            clock(10 * 2 ** 10)
            if _token(f"10.1.0.{i}", f"guess {i}").status_code == 401:
                guesses += 1
            if SignInThrottle.objects.get(username=USERNAME).locked_until:
                break
    assert guesses == 6  # not 40 × 5
    locked = _token("10.1.1.1", "una clave larga 2026")  # even the right clave
    assert locked.status_code == 429
    assert "locked after too many failed attempts" in locked.json()["message"]
    assert int(locked["Retry-After"]) > 23 * 3600
    [mail] = smtp.inbox.wait_for(1)
    assert mail["To"] == "ana@example.com"
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert "/portal/clave/en-linea/" in body
    clock(3600)
    _token("10.1.1.2", "still guessing")
    assert len(smtp.inbox.wait_for(2, timeout=0.5)) == 1  # told once per lock
    # the person creates a new clave (the self-service way, R-AFF-09): unlocked
    user = ana.user
    clave._save_password(ana, user, "otra clave larga 2027")
    assert _token("10.1.1.3", "otra clave larga 2027").status_code == 200


def test_a_successful_sign_in_forgets_the_failures(ana, settings):
    settings.SIGNIN_DELAY_AFTER = 5
    for i in range(4):
        _token(f"10.2.0.{i}", "wrong")
    assert _token("10.2.0.9", "una clave larga 2026").status_code == 200
    assert not SignInThrottle.objects.filter(username=USERNAME).exists()


def test_an_unknown_id_is_throttled_like_a_known_one(clock, settings):
    """The same answers for an ID without an account: nothing tells which IDs exist."""
    settings.SIGNIN_DELAY_AFTER = 2
    answers = [_token(f"10.3.0.{i}", "x").status_code for i in range(3)]
    assert answers == [401, 401, 429]


def test_the_portal_page_says_how_long_to_wait(ana, settings):
    settings.SIGNIN_DELAY_AFTER = 1
    data = {"document": "EC:cedula", "id_number": "1710034065", "password": "wrong"}
    Client(REMOTE_ADDR="10.4.0.1").post("/portal/entrar/", data)
    page = Client(REMOTE_ADDR="10.4.0.2", HTTP_ACCEPT_LANGUAGE="en").post(
        "/portal/entrar/", {**data, "password": "una clave larga 2026"})
    assert "Too many failed attempts with this ID number. Wait 30 seconds" in (
        page.content.decode())
    assert "_auth_user_id" not in page.client.session


def test_staff_are_throttled_across_addresses_too(settings, roles):
    from ventanilla.accounts.roles import Role
    from ventanilla.accounts.services import staff_create

    staff_create(username="revisora", password="Staff-password-123", role=Role.REVIEWER)
    settings.SIGNIN_DELAY_AFTER = 2
    for i in range(2):
        Client(REMOTE_ADDR=f"10.5.0.{i}").post("/staff/entrar/", {
            "username": "revisora", "password": "wrong"})
    page = Client(REMOTE_ADDR="10.5.0.9", HTTP_ACCEPT_LANGUAGE="en").post(
        "/staff/entrar/", {"username": "revisora", "password": "Staff-password-123"})
    assert "Too many failed attempts with this username. Wait" in page.content.decode()
    assert "_auth_user_id" not in page.client.session


def test_delay_doubles_from_the_limit():
    from django.conf import settings

    first = settings.SIGNIN_DELAY_FIRST_SECONDS
    start = settings.SIGNIN_DELAY_AFTER
    assert throttle.delay_for(start - 1) == timedelta(0)
    assert [throttle.delay_for(start + k).total_seconds() for k in range(4)] == [
        first, 2 * first, 4 * first, 8 * first]


@pytest.mark.django_db
def test_names_long_past_and_locks_that_are_over_are_forgotten(settings):
    now = timezone.now()
    window = timedelta(hours=settings.SIGNIN_WINDOW_HOURS)
    old = now - window - timedelta(hours=1)
    SignInThrottle.objects.create(username="old", failures=2, window_started_at=old,
                                  last_failure_at=old)
    SignInThrottle.objects.create(username="lock-over", failures=10, window_started_at=old,
                                  last_failure_at=old, locked_until=now - timedelta(minutes=1))
    SignInThrottle.objects.create(username="still-locked", failures=10,
                                  window_started_at=old, last_failure_at=old,
                                  locked_until=now + timedelta(hours=1))
    SignInThrottle.objects.create(username="recent", failures=3,
                                  window_started_at=now - timedelta(hours=1),
                                  last_failure_at=now - timedelta(hours=1))
    throttle.signin_failed("new-name", now=now)
    assert set(SignInThrottle.objects.values_list("username", flat=True)) == {
        "still-locked", "recent", "new-name"}
