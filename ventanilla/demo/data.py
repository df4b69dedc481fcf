"""Demo data: centres, staff of both countries, applications and sick-leave certificates in
every state.

Everything goes through the same services as real use, so the demo shows real behaviour.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from ventanilla.accounts.roles import Role
from ventanilla.accounts.services import staff_create
from ventanilla.core.channels import Channel
from ventanilla.core.models import Counter
from ventanilla.registration import services
from ventanilla.registration.models import Application
from ventanilla.scheduling.models import Centre

from . import affiliates, appointments, certificates

DEMO_PASSWORD = "Ventanilla-demo-2026"

CENTRES = [
    ("EC", "ec-quito-norte", "Centro de Atención Universal Quito Norte", "170150",
     "Av. 10 de Agosto y Bogotá, Quito", -0.2002, -78.4930),
    ("EC", "ec-guayaquil-centro", "Centro de Atención Universal Guayaquil", "090150",
     "Av. 9 de Octubre y Pedro Carbo, Guayaquil", -2.1930, -79.8820),
    ("EC", "ec-cuenca", "Centro de Atención Universal Cuenca", "010150",
     "Av. Remigio Crespo y Guayas, Cuenca", -2.9060, -79.0150),
    ("PE", "pe-lima-jesus-maria", "Agencia EsSalud Jesús María", "150113",
     "Av. Domingo Cueto 120, Jesús María, Lima", -12.0760, -77.0450),
    ("PE", "pe-arequipa", "Agencia EsSalud Arequipa", "040101",
     "Calle Peral 105, Arequipa", -16.3990, -71.5360),
    ("PE", "pe-cusco", "Agencia EsSalud Cusco", "080101",
     "Av. de la Cultura 708, Cusco", -13.5230, -71.9600),
]

STAFF = [
    ("admin", Role.ADMINISTRATOR, "", None, "Ana", "Administradora"),
    ("revisor.ec", Role.REVIEWER, "EC", None, "Rosa", "Revisora"),
    ("revisor.pe", Role.REVIEWER, "PE", None, "Raúl", "Revisor"),
    ("agente.ec", Role.AGENT, "EC", "ec-quito-norte", "Andrés", "Agente"),
    ("agente.pe", Role.AGENT, "PE", "pe-lima-jesus-maria", "Alicia", "Agente"),
    ("operador.ec", Role.OPERATOR, "EC", None, "Olga", "Operadora"),
    ("operador.pe", Role.OPERATOR, "PE", None, "Óscar", "Operador"),
    ("validador.ec", Role.VALIDATOR, "EC", None, "Valeria", "Validadora"),
    ("validador.pe", Role.VALIDATOR, "PE", None, "Vicente", "Validador"),
]
# Staff of a medical centre (R-CER-01: they issue the institution's rest certificates for
# appointments attended there): the demo doctors of general medicine, created with the
# medical centres (``scheduling.demo.demo_medical``).
CLINICIANS = [
    ("medico.ec", "EC", "ec-med-quito-central", "María José", "Andrade Salazar"),
    ("medico.pe", "PE", "pe-med-lima-jesus-maria", "Rosa Elena", "Quispe Mamani"),
]

# A minimal but complete PDF, so demo documents open in the reviewer's preview.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 120]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 44>>stream\nBT /F1 12 Tf 20 60 Td (Documento demo) Tj ET\nendstream\n"
    b"endobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _cedula(base9: str) -> str:
    from stdnum.ec import ci

    return next(base9 + str(d) for d in range(10) if ci.is_valid(base9 + str(d)))


APPLICANTS = [
    # country, id_type, id_number, given, family, dob, nationality, phone, place, street,
    # outcome
    ("EC", "cedula", _cedula("171003406"), "María José", "Guamán Quishpe", date(1988, 4, 12),
     "EC", "0991234567", "170150", "Av. Amazonas N24-03", "submitted"),
    ("EC", "passport", "X1234567", "Jennifer", "Miller", date(1961, 9, 3), "US",
     "0987654321", "010150", "Calle Larga 7-45", "overdue"),
    ("EC", "cedula", _cedula("090000001"), "Luis Alberto", "Mendoza Ruiz", date(1979, 1, 30),
     "EC", "0998877665", "090150", "Malecón 2000 y Aguirre", "approved"),
    ("PE", "dni", "10117410", "Rosa Elvira", "Quispe Mamani", date(1990, 7, 28), "PE",
     "912345678", "150113", "Av. Brasil 1234", "submitted"),
    ("PE", "ce", "001234567", "Carlos", "Pérez Rodríguez", date(1985, 11, 5), "VE",
     "987654321", "040101", "Calle Mercaderes 210", "changes"),
]


@transaction.atomic
def load() -> bool:
    """Load once; return False when the demo data was already there."""
    if Counter.objects.filter(name="demo-loaded").exists():
        return False
    centres = {}
    for country, code, name, place, address, lat, lng in CENTRES:
        centres[code], _ = Centre.objects.update_or_create(
            code=code, defaults={"country": country, "name": name, "subdivision_code": place,
                                 "address": address, "latitude": lat, "longitude": lng,
                                 "requires_appointment": country == "EC"})
    users = {}
    for username, role, country, centre, first, last in STAFF:
        users[username] = staff_create(
            username=username, password=DEMO_PASSWORD, role=role, country=country,
            centre=centres.get(centre) if centre else None, email=f"{username}@ventanilla.example",
            first_name=first, last_name=last, superuser=role == Role.ADMINISTRATOR)
    for row in APPLICANTS:
        _applicant(row, reviewer=users[f"revisor.{row[0].lower()}"])
    from ventanilla.scheduling.demo import demo_medical, demo_visiting_hours

    demo_visiting_hours()
    people = affiliates.load(agent_for=lambda country: users[f"agente.{country.lower()}"],
                             admin=users["admin"], password=DEMO_PASSWORD)
    demo_medical()  # after the affiliates: one of them gets an Ophthalmology referral
    appointments.load(people)  # after the slots: two people's own appointments
    for username, country, centre, first, last in CLINICIANS:
        users[username] = staff_create(
            username=username, password=DEMO_PASSWORD, role=Role.CLINICIAN, country=country,
            centre=Centre.objects.get(code=centre), email=f"{username}@ventanilla.example",
            first_name=first, last_name=last)
    certificates.load(people=people,
                      validators={c: users[f"validador.{c.lower()}"] for c in ("EC", "PE")},
                      clinicians=users)
    Counter.objects.create(name="demo-loaded", value=1)
    return True


# The overdue demo application was sent this long ago: its due date (R-REG-05) has passed.
OVERDUE_SENT_DAYS_AGO = 12


def _sent_days_ago(app: Application, days: int) -> None:
    """Move a just-submitted application ``days`` back in time, as if sent then: the moments
    it was started, confirmed and sent, its case's history, and the due date counted from
    that day by the rule (R-REG-05: working days after submission, the country's holidays
    skipped), so it is overdue because it is old, never due before it was sent."""
    from ventanilla.cases.models import Case, CaseEvent
    from ventanilla.countries.registry import get_pack

    assert app.submitted_at is not None, "only a submitted application is moved back"
    pack = get_pack(app.country)
    shift = timedelta(days=days)
    sent = app.submitted_at - shift
    due = pack.add_working_days(timezone.localtime(sent, pack.tz).date(),
                                pack.registration_due_working_days)
    Application.objects.filter(pk=app.pk).update(
        created_at=F("created_at") - shift, email_verified_at=F("email_verified_at") - shift,
        declaration_accepted_at=F("declaration_accepted_at") - shift, submitted_at=sent,
        due_on=due)
    Case.objects.filter(pk=app.case.pk).update(created_at=F("created_at") - shift, due_on=due)
    CaseEvent.objects.filter(case=app.case).update(at=F("at") - shift)
    app.documents.update(created_at=F("created_at") - shift)
    app.refresh_from_db()


def _applicant(row, *, reviewer) -> Application:
    (country, id_type, id_number, given, family, dob, nationality, phone, place, street,
     outcome) = row
    email = f"{slugify(given.split()[0])}.{slugify(family.split()[0])}@example.com"
    app = services.application_start(country=country, channel=Channel.WEB, email=email,
                                      language="es" if nationality != "US" else "en")
    services.application_update(application=app, answers={
        "email": email, "given_names": given, "family_names": family, "date_of_birth": dob,
        "nationality": nationality, "id_type": id_type, "id_number": id_number,
        "mobile_phone": phone, "subdivision_code": place, "street": street,
        "employed_locally": country == "PE" and nationality == "PE",
        "documents_in_other_language": nationality == "US",
        "has_previous_health_card": False,
        "affiliation_type": {"EC": "voluntary", "PE": "sis_para_todos"}[country],
        "residency_document": "VR-2024-000123" if nationality not in (country,) else ""})
    app.email_verified_at = app.created_at
    app.save(update_fields=["email_verified_at"])
    from ventanilla.registration.selectors import application_checklist

    for item in application_checklist(app):
        if not item.kind.provided_by_form and item.kind.required:
            services.document_upload(application=app, kind=item.kind.code, data=DEMO_PDF,
                                     filename=f"{item.kind.code}.pdf")
    services.application_submit(application=app, declaration=True)
    app.refresh_from_db()
    if outcome == "overdue":
        _sent_days_ago(app, OVERDUE_SENT_DAYS_AGO)
    elif outcome in ("approved", "changes"):
        docs = list(app.documents.filter(is_current=True))
        for i, doc in enumerate(docs):
            reject = outcome == "changes" and i == 1
            services.document_review(
                document=doc, accept=not reject, actor=reviewer,
                reason="El comprobante de domicilio tiene más de 3 meses." if reject else "")
        if outcome == "approved":
            services.application_approve(application=app, actor=reviewer)
        else:
            services.application_request_changes(application=app, actor=reviewer)
    return app
