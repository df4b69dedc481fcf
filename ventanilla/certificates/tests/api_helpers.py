"""Helpers of the API tests: a client signed in as someone, and Ana's certificate as a form
whose dates are counted from today (the API runs at the real time: a fixed date would turn
late, R-CER-04, within weeks)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta

from django.test import Client

from conftest import PDF

from .conftest import typed

CLAVE = "una clave larga 2026"
BASE = "/api/v1/certificates"
ALL_CHECKS = ["letterhead", "typed", "stamp", "no_amendments", "legible"]


def ec_today():
    from ventanilla.countries.registry import get_pack

    return get_pack("EC").today()


def dmy(day) -> str:
    return day.strftime("%d/%m/%Y")


def form(**changes) -> dict:
    """Ana's certificate as form fields: three days of rest ending today."""
    today = ec_today()
    start = today - timedelta(days=2)
    values = asdict(typed(issued_on=dmy(start), rest_start=dmy(start), rest_end=dmy(today),
                          rest_days="3"))
    if "rest_days" in changes and "rest_days_words" not in changes:
        from num2words import num2words

        days = changes["rest_days"]
        changes["rest_days_words"] = (num2words(int(days), lang="es")
                                      if str(days).isdigit() else "")
    values.update(changes)
    return values


def token_headers(person) -> dict:
    r = Client().post("/api/v1/auth/token", {
        "country": person.country, "id_type": person.id_type, "id_number": person.id_number,
        "password": CLAVE}, content_type="application/json")
    assert r.status_code == 200, r.content
    return {"HTTP_AUTHORIZATION": f"Bearer {r.json()['token']}", "HTTP_ACCEPT_LANGUAGE": "en"}


class Api:
    """A client acting as one caller: an affiliate's token, a staff session (the test
    client skips the CSRF check, as for every staff API test) or nobody."""

    def __init__(self, *, person=None, staff=None):
        self.client = Client()
        self.headers: dict = {"HTTP_ACCEPT_LANGUAGE": "en"}
        if person is not None:
            self.headers = token_headers(person)
        elif staff is not None:
            self.client.force_login(staff)

    def get(self, path: str, **params):
        return self.client.get(BASE + path, params, **self.headers)

    def json(self, path: str, body: dict, **headers):
        return self.client.post(BASE + path, body, content_type="application/json",
                                **self.headers, **headers)

    def multipart(self, path: str, fields: dict, files: dict | None = None, **headers):
        from django.core.files.uploadedfile import SimpleUploadedFile

        data = dict(fields)
        for role, (content, name) in (files if files is not None
                                      else {"scan": (PDF, "certificado.pdf")}).items():
            data[role] = SimpleUploadedFile(name, content)
        return self.client.post(BASE + path, data, **self.headers, **headers)
