"""Walking the portal's certificate steps with the Django test client: Ana's answers as she
types them off the paper (every check passes), dated from today in Quito."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import PDF
from ventanilla.countries.registry import get_pack

NEW = "/portal/certificados/nuevo/"
CHECK = "/portal/certificados/nuevo/revisar/"


def today() -> date:
    return get_pack("EC").today()


def dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def step(slug: str) -> str:
    return f"{NEW}{slug}/"


def upload_step(slug: str) -> str:
    return f"{NEW}archivo/{slug}/"


def text(response) -> str:
    """The page's text, tags and repeated white space removed."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(body))


def answers(**changes) -> dict:
    """Every step's answers (by step), from a certificate issued two days ago for three
    days of rest ending today."""
    start = today() - timedelta(days=2)
    values = {
        "tipo": {"kind": "illness", "abroad": "no", "issued_country": "", "language": ""},
        "medico": {"doctor_name": "Dra. Lucía Andrade", "doctor_specialty": "Medicina interna",
                   "establishment": "Clínica La Merced", "doctor_email": "l.andrade@lamerced.ec",
                   "doctor_registration": "1005-2016-1727394",
                   "establishment_phone": "02 245 6789",
                   "establishment_address": "Av. 10 de Agosto N24-35, Quito",
                   "issued_place": "Quito", "issued_on": dmy(start)},
        "paciente": {"patient_names": "PAZ VERA ANA", "patient_id_number": "1710034065",
                     "diagnosis": "Infección aguda de las vías respiratorias superiores",
                     "icd10_code": "j069"},
        "dias": {"rest_start": dmy(start), "rest_end": dmy(today()), "rest_days": "3",
                 "rest_days_words": "tres"},
    }
    for name, value in changes.items():
        for fields in values.values():
            if name in fields:
                fields[name] = value
                break
        else:
            values.setdefault("detalles", {})[name] = value
    return values


def scan(data: bytes = PDF, name: str = "certificado.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def walk(client, patient, values: dict | None = None, *, files=None, confirm_code=True):
    """Every step up to the check page, answering ``values`` (``answers()``) for
    ``patient``; the code's description confirmed; ``files``: {"certificado": upload}.
    Returns the check page."""
    values = values or answers()
    r = client.post(NEW, {"patient": str(patient.public_id)})
    assert r.status_code == 302, text(r)
    for slug in ("tipo", "medico", "paciente", "dias", "detalles"):
        if slug not in values:
            continue
        r = client.post(step(slug), values[slug])
        if slug == "paciente" and r.status_code == 302 and r["Location"].startswith(
                step("codigo")) and confirm_code:
            r = client.post(step("codigo"), {"confirmed": "yes"})
    for slug, upload in (files if files is not None else {"certificado": scan()}).items():
        client.post(upload_step(slug), {{"certificado": "scan", "apostilla": "apostille",
                                        "traduccion": "translation"}[slug]: upload})
    return client.get(CHECK)
