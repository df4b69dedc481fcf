"""The loader of the certificates benchmark (``bench/certificates.py``): a validators' queue
of pending certificates, bulk-created (a loader, not the services).

``load`` writes, in the current database and one transaction: the patients (five
certificates each; Ecuador 60 %, Peru 40 %, valid cédulas and DNIs), two validators, a few
affiliates with web accounts (for the API's check), ``certificates`` pending private
certificates (illness, accident, hospitalisation and maternity; a few hundred
establishments per country, a few of them large; due dates from ten days overdue to three
days ahead) and ``decided`` more already validated, rejected or sent back, each with its
case (trámite), the first event of its history and its scan's row. ``facts`` reads back
what the measurements draw from.
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

from num2words import num2words

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib

BATCH = 5000
KINDS = (("illness", 70), ("accident", 10), ("hospitalisation", 12), ("maternity", 8))
COUNTRY_SHARE = (("EC", 60), ("PE", 40))
EC_CITIES = ("Quito", "Guayaquil", "Cuenca", "Ambato", "Manta", "Loja", "Machala", "Ibarra")
PE_CITIES = ("Lima", "Arequipa", "Cusco", "Trujillo", "Piura", "Chiclayo", "Huancayo", "Puno")
KIND_OF_PLACE = ("Clínica", "Hospital", "Consultorio Médico", "Centro Médico", "Policlínico")
PLACE_NAMES = ("Santa Ana", "San Gabriel", "La Merced", "San José", "Santa Cecilia",
               "Metropolitano", "del Valle", "Santa Lucía", "San Juan de Dios", "Los Andes",
               "Vallesol", "Santa Rosa", "Alcívar", "Pichincha", "Del Sur", "San Francisco",
               "Monte Sinaí", "Panamericana", "La Paz", "Central")
ICD10_SAMPLE = ("J06.9", "J00", "J02.9", "J03.9", "J11.1", "J18.9", "J20.9", "A09.0",
                "A09.9", "B34.9", "K29.7", "K35.8", "K52.9", "K80.2", "M54.5", "M51.1",
                "M79.1", "N39.0", "R50.9", "R51", "S52.5", "S62.6", "S82.6", "S93.4",
                "T14.0", "O80.0", "O82.0", "I10", "E11.9", "F41.1", "G43.9", "H10.9")
DOCTORS = {"EC": ("1005-2016-1727394", "1006-2012-1458233", "1027-2009-1712345"),
           "PE": ("CMP 045123", "CMP 052310", "CMP 061234")}
PHONES = {"EC": "02 245 6789", "PE": "01 614 5000"}


# --- the load --------------------------------------------------------------------------------

def establishments(country: str, rng: random.Random, n: int) -> list[str]:
    cities = EC_CITIES if country == "EC" else PE_CITIES
    names = set()
    while len(names) < n:
        names.add(f"{rng.choice(KIND_OF_PLACE)} {rng.choice(PLACE_NAMES)} "
                  f"{rng.choice(cities)}" + (f" {rng.randrange(2, 9)}" if rng.random() < 0.5
                                             else ""))
    return sorted(names)


def _weights(n: int) -> list[float]:
    """A few large hospitals, many small practices (Zipf-like)."""
    return [1 / (i + 1) ** 0.9 for i in range(n)]


def _persons(n: int, rng: random.Random) -> list:
    from load_national import FAMILY, GIVEN, cedula

    from ventanilla.people.models import Person

    rows = []
    for i in range(n):
        country = "EC" if i % 5 < 3 else "PE"
        idn = cedula(1 + i % 24, 500_000 + i) if country == "EC" else f"{20_000_000 + i:08d}"
        rows.append(Person(
            country=country, id_type="cedula" if country == "EC" else "dni", id_number=idn,
            given_names=f"{GIVEN[i % 30]} {GIVEN[(i // 30 + 7) % 30]}",
            family_names=f"{FAMILY[(i // 7) % 30]} {FAMILY[(i // 211) % 30]}",
            date_of_birth=date(1960, 1, 1) + timedelta(days=(i * 7919) % (365 * 40)),
            nationality=country, language="es"))
    return Person.objects.bulk_create(rows, batch_size=BATCH)


def _references(country: str, n: int, taken: set[str]) -> list[str]:
    from ventanilla.cases.rules import reference_new

    out = []
    while len(out) < n:
        ref = reference_new(country)
        if ref not in taken:
            taken.add(ref)
            out.append(ref)
    return out


def load(*, certificates: int, decided: int, seed: int = 2026, out=print) -> dict:
    """Bulk-create the benchmark's rows in the current database (see the module docstring).
    Returns what the measurements need."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from ventanilla.accounts.models import User
    from ventanilla.accounts.roles import Role
    from ventanilla.accounts.services import staff_create
    from ventanilla.cases.models import Case, CaseEvent
    from ventanilla.certificates.models import Certificate, CertificateFile
    from ventanilla.countries.registry import get_pack

    rng = random.Random(seed)
    total = certificates + decided
    timer = benchlib.Timer()
    with transaction.atomic():
        with timer.step("validators and patients") as info:
            for country, _share in COUNTRY_SHARE:
                staff_create(username=f"bench.validador.{country.lower()}",
                             password=benchlib.BENCH_PASSWORD, role=Role.VALIDATOR,
                             country=country)
            people = _persons(max(50, total // 5), rng)
            info["rows"] = len(people)
            # a few affiliates with web accounts, for the API's check
            hashed = make_password(benchlib.BENCH_PASSWORD)
            users = User.objects.bulk_create([User(username=f"bench-aff-{p.pk}", password=hashed)
                                              for p in people[:40]])
            for person, user in zip(people, users, strict=False):
                person.user = user
            type(people[0]).objects.bulk_update(people[:40], ["user"])
        by_country = {c: [p for p in people if p.country == c] for c, _w in COUNTRY_SHARE}
        places = {c: establishments(c, rng, 400) for c in by_country}
        weights = {c: _weights(len(places[c])) for c in places}
        taken: set[str] = set()
        today = {c: get_pack(c).today() for c in by_country}
        cases, certs = [], []
        with timer.step("cases and certificates (bulk_create)") as info:
            countries = rng.choices([c for c, _ in COUNTRY_SHARE],
                                    [w for _, w in COUNTRY_SHARE], k=total)
            kinds = rng.choices([k for k, _ in KINDS], [w for _, w in KINDS], k=total)
            refs = {c: iter(_references(c, countries.count(c), taken)) for c in by_country}
            for i in range(total):
                country, kind = countries[i], kinds[i]
                patient = by_country[country][i % len(by_country[country])]
                pending = i < certificates
                status = (Certificate.Status.SUBMITTED if pending else
                          rng.choice((Certificate.Status.VALIDATED,
                                      Certificate.Status.REJECTED,
                                      Certificate.Status.RETURNED)))
                due = today[country] + timedelta(days=rng.randint(-10, 3) if pending
                                                 else rng.randint(-120, -1))
                start = due - timedelta(days=rng.randint(4, 12))
                days = {"maternity": 84, "hospitalisation": rng.randint(5, 20)}.get(
                    kind, rng.randint(1, 7))
                case = Case(reference=next(refs[country]), kind="sick_leave", country=country,
                            status={"submitted": "submitted", "validated": "approved",
                                    "rejected": "rejected", "returned": "action_required"}
                            [status], channel="web", subject_id_type=patient.id_type,
                            subject_id_number=patient.id_number, person=patient, due_on=due)
                cases.append(case)
                certs.append(Certificate(
                    country=country, patient=patient, submitted_by=patient, kind=kind,
                    status=status, channel="web",
                    source=("institution" if not pending and i % 20 == 0 else "private"),
                    doctor_name="Dra. Lucía Andrade Vela", doctor_specialty="Medicina interna",
                    establishment=rng.choices(places[country], weights[country])[0],
                    doctor_email="medico@clinica.example",
                    doctor_registration=DOCTORS[country][i % 3],
                    establishment_phone=PHONES[country], establishment_address="Av. Central 1",
                    issued_on=start, issued_place="Quito" if country == "EC" else "Lima",
                    issued_country=country, patient_names=patient.full_name,
                    patient_id_number=patient.id_number, diagnosis="Diagnóstico",
                    icd10_code=ICD10_SAMPLE[i % len(ICD10_SAMPLE)], rest_start=start,
                    rest_end=start + timedelta(days=days - 1), rest_days=days, due_on=due,
                    flags=([{"field": "rest_start", "message": "overlap"}] if i % 40 == 0
                           else [])))
            Case.objects.bulk_create(cases, batch_size=BATCH)
            for case, cert in zip(cases, certs, strict=True):
                cert.case = case
            Certificate.objects.bulk_create(certs, batch_size=BATCH)
            info["rows"] = len(certs)
        with timer.step("history events and scan rows (bulk_create)") as info:
            CaseEvent.objects.bulk_create(
                [CaseEvent(case=c, code="certificate_submitted", status="submitted",
                           channel="web") for c in cases], batch_size=BATCH)
            CertificateFile.objects.bulk_create(
                [CertificateFile(certificate=c, role="scan", file="certificates/bench/scan.jpg",
                                 original_name="certificado.jpg", content_type="image/jpeg",
                                 size=48_000, sha256="0" * 64) for c in certs],
                batch_size=BATCH)
            info["rows"] = 2 * len(certs)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # statistics for the planner, and the visibility map the index-only scans of the
        # queue need (autovacuum keeps both in production)
        with timer.step("VACUUM ANALYZE"), connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE people_person, cases_case, cases_caseevent, "
                        "certificates_certificate, certificates_certificatefile")
    out(f"Loaded {certificates:,} pending and {decided:,} decided certificates of "
        f"{len(people):,} patients in {timer.total:.1f} s")
    return facts(out=out)


def facts(*, out=print) -> dict:
    """What the measurements draw from: the validators, establishments, references and
    patients of an existing load."""
    from django.db.models import Count

    from ventanilla.accounts.models import User
    from ventanilla.certificates.models import Certificate
    from ventanilla.people.models import Person

    out_facts: dict = {"validators": {}, "places": {}, "references": {}, "patients": {}}
    for country in ("EC", "PE"):
        out_facts["validators"][country] = User.objects.get(
            username=f"bench.validador.{country.lower()}")
        pending = Certificate.objects.filter(country=country, status="submitted",
                                             source="private")
        out_facts["places"][country] = [
            row["establishment"] for row in pending.values("establishment")
            .annotate(n=Count("id")).order_by("-n")]
        out_facts["references"][country] = list(
            pending.values_list("case__reference", flat=True)[:2000])
        out_facts["patients"][country] = list(Person.objects.filter(country=country)
                                              .order_by("pk")[:500])
    return out_facts


def typed_inputs(facts: dict, n: int, rng: random.Random) -> list:
    """``n`` certificates as people type them: most pass, one in ten has a wrong code or
    name (the checks' answer then lists every problem); codes typed every which way."""
    from datetime import timedelta

    from ventanilla.certificates.checks import CertificateIn
    from ventanilla.countries.registry import get_pack

    out = []
    patients = facts["patients"]["EC"] + facts["patients"]["PE"]
    for i in range(n):
        person = patients[i % len(patients)]
        today = get_pack(person.country).today()
        start = today - timedelta(days=rng.randint(0, 6))
        days = rng.randint(1, 5)
        code = rng.choice(ICD10_SAMPLE)
        typed_code = rng.choice((code, code.lower(), code.replace(".", "")))
        kind = rng.choice(("illness", "illness", "illness", "accident", "hospitalisation"))
        extra = ({"admitted_on": start.strftime("%d/%m/%Y"),
                  "discharged_on": (start + timedelta(days=1)).strftime("%d/%m/%Y"),
                  "procedure": "Observación"} if kind == "hospitalisation" else {})
        wrong = i % 10 == 9
        out.append((person, CertificateIn(
            kind=kind, doctor_name="Dra. Lucía Andrade Vela",
            doctor_specialty="Medicina interna", establishment="Clínica La Merced",
            doctor_email="l.andrade@lamerced.ec",
            doctor_registration=DOCTORS[person.country][i % 3],
            establishment_phone=PHONES[person.country],
            establishment_address="Av. 10 de Agosto N24-35", issued_on=start.strftime("%d/%m/%Y"),
            issued_place="Quito", issued_country=person.country,
            patient_names="Nombre Equivocado" if wrong else person.full_name,
            patient_id_number=person.id_number, diagnosis="Diagnóstico",
            icd10_code="J06.99" if wrong else typed_code,
            rest_start=start.strftime("%d/%m/%Y"),
            rest_end=(start + timedelta(days=days - 1)).strftime("%d/%m/%Y"),
            rest_days=str(days), rest_days_words=num2words(days, lang="es"), **extra)))
    return out


def centre_queries(places: list[str]) -> list[str]:
    """What validators type in the centre filter: a large establishment's full name, a middle
    one's and a small one's, words many share ("Santa", "Clínica"), the two countries'
    cities (the other country's matches nothing here) and a long name no establishment has.
    A term that matches nothing costs a page only its count: the Paginator reads no rows."""
    if not places:
        return ["Zzz"]
    return [places[0], places[len(places) // 2], places[-1], "Santa", "Clínica", "Cusco",
            "Quito", "Zzz no existe"]
