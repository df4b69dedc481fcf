"""Demo data of the slot engine: the demo loader calls ``demo_visiting_hours()`` after the
centres, and ``demo_medical()`` for medical centres, doctors and their appointments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ventanilla.countries.registry import get_pack

from .defaults import office_services_ensure
from .models import Centre, Schedule, Weekday
from .services import slots_generate

# Monday to Friday, 08:00–12:00 and 14:00–16:00, 20-minute slots, two counters.
DEMO_HOURS = ((time(8), time(12)), (time(14), time(16)))
DEMO_WEEKDAYS = (Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY,
                 Weekday.FRIDAY)
DEMO_SLOT_MINUTES = 20
DEMO_CAPACITY = 2


@transaction.atomic
def demo_visiting_hours(*, days: int = 28) -> int:
    """Office visiting hours for every service centre, and their slots ``days`` ahead.
    Safe to run again: schedules are not duplicated. Returns the number of slots created."""
    created = 0
    for centre in Centre.objects.filter(kind=Centre.Kind.SERVICE, is_active=True):
        today = timezone.now().astimezone(get_pack(centre.country).tz).date()
        for service in office_services_ensure(centre.country):
            for weekday in DEMO_WEEKDAYS:
                for start, end in DEMO_HOURS:
                    Schedule.objects.get_or_create(
                        centre=centre, service=service, weekday=weekday, start_time=start,
                        defaults={"end_time": end, "slot_minutes": DEMO_SLOT_MINUTES,
                                  "capacity": DEMO_CAPACITY, "valid_from": today})
        created += slots_generate(centre=centre, date_from=today,
                                  date_to=today + timedelta(days=days)).created
    return created


# --- medical appointments (R-APT-02, R-APT-10, R-APT-12) ------------------------------------

@dataclass(frozen=True)
class DemoCentre:
    code: str
    name: str
    place: str          # geography code of the country pack (parish / district)
    address: str
    phone: str
    latitude: str
    longitude: str


@dataclass(frozen=True)
class DemoDoctor:
    registration_code: str
    given_names: str
    family_names: str
    centre: int                       # index into the country's centres
    # (specialty code, weekdays, start, end)
    hours: tuple[tuple[str, tuple[int, ...], time, time], ...]
    title: str = "dr"                 # Doctor.Title: "dra" for a woman


MON, TUE, WED, THU, FRI, SAT = range(6)
WEEK = (MON, TUE, WED, THU, FRI, SAT)
MORNING = (time(8), time(12))
AFTERNOON = (time(13), time(17))

DEMO_MEDICAL_CENTRES: dict[str, tuple[DemoCentre, ...]] = {
    "EC": (
        DemoCentre("ec-med-quito-central", "Hospital del Día IESS Central", "170150",
                   "Av. 10 de Agosto N21-52 y Av. Colón, Quito", "+59322566000",
                   "-0.206860", "-78.495210"),
        DemoCentre("ec-med-gye-sur", "Centro de Especialidades IESS Sur", "090150",
                   "Av. 25 de Julio y Calle Ernesto Albán, Guayaquil", "+59342487000",
                   "-2.226540", "-79.894310"),
    ),
    "PE": (
        DemoCentre("pe-med-lima-jesus-maria", "Policlínico EsSalud Jesús María", "150113",
                   "Av. Arenales 1402, Jesús María, Lima", "+5114118000",
                   "-12.076920", "-77.041780"),
        DemoCentre("pe-med-arequipa", "Centro Médico EsSalud Arequipa", "040101",
                   "Calle Peral 405, Arequipa", "+5154380000",
                   "-16.396420", "-71.533830"),
    ),
}

DEMO_DOCTORS: dict[str, tuple[DemoDoctor, ...]] = {
    "EC": (
        DemoDoctor("MSP-1700001", "María José", "Andrade Salazar", 0,
                   (("general_medicine", WEEK, *MORNING),), title="dra"),
        DemoDoctor("MSP-1700002", "Jorge Luis", "Cevallos Mera", 0,
                   (("pediatrics", (MON, WED, FRI), *MORNING),
                    ("family_medicine", (TUE, THU, SAT), *MORNING))),
        DemoDoctor("MSP-1700003", "Gabriela", "Núñez Ortiz", 0,
                   (("ophthalmology", (TUE, THU), *AFTERNOON),
                    ("gynecology", (MON, WED, FRI), *AFTERNOON)), title="dra"),
        DemoDoctor("MSP-0900004", "Carlos Andrés", "Villacís Rosero", 1,
                   (("dentistry", WEEK, *MORNING),)),
        DemoDoctor("MSP-0900005", "Patricia", "Moreira Zambrano", 1,
                   (("psychology", (MON, TUE, WED, THU, FRI), *AFTERNOON),), title="dra"),
        DemoDoctor("MSP-0900006", "Fernando", "Alvarado Cedeño", 1,
                   (("traumatology", (MON, WED), *MORNING),
                    ("general_medicine", (TUE, THU, SAT), *MORNING))),
    ),
    "PE": (
        DemoDoctor("CMP-041201", "Rosa Elena", "Quispe Mamani", 0,
                   (("general_medicine", WEEK, *MORNING),), title="dra"),
        DemoDoctor("CMP-041202", "Luis Alberto", "Huamán Torres", 0,
                   (("pediatrics", (MON, WED, FRI), *MORNING),
                    ("family_medicine", (TUE, THU, SAT), *MORNING))),
        DemoDoctor("CMP-041203", "Carmen", "Rojas Villanueva", 0,
                   (("gynecology", (TUE, THU), *AFTERNOON),
                    ("ophthalmology", (MON, WED, FRI), *AFTERNOON)), title="dra"),
        DemoDoctor("CMP-041204", "Miguel Ángel", "Flores Chávez", 1,
                   (("dentistry", WEEK, *MORNING),)),
        DemoDoctor("CMP-041205", "Lucía", "Paredes Salinas", 1,
                   (("psychology", (MON, TUE, WED, THU, FRI), *AFTERNOON),), title="dra"),
        DemoDoctor("CMP-041206", "José Carlos", "Mendoza Ríos", 1,
                   (("traumatology", (TUE, THU), *MORNING),
                    ("general_medicine", (MON, WED, SAT), *MORNING))),
    ),
}

DEMO_MEDICAL_SLOT_MINUTES = 20
DEMO_REFERRAL_ID = ("EC", "1705551230")


@transaction.atomic
def demo_medical(*, days: int = 14) -> int:
    """Per country: two medical centres, the default specialties, six doctors with weekly
    hours (Monday to Saturday, some specialties only some days) and their slots ``days``
    ahead; an Ophthalmology referral for the demo person with cédula 1705551230 when that
    person exists. Safe to run again. Returns the number of slots created."""
    from ventanilla.people.models import Person

    from .defaults import medical_services_ensure
    from .models import Doctor, Referral

    created = 0
    for country, centres_data in DEMO_MEDICAL_CENTRES.items():
        pack = get_pack(country)
        today = timezone.now().astimezone(pack.tz).date()
        specialties = {s.code: s for s in medical_services_ensure(country)}
        centres = []
        for c in centres_data:
            centre, _new = Centre.objects.update_or_create(
                code=c.code, defaults={
                    "country": country, "kind": Centre.Kind.MEDICAL, "name": c.name,
                    "subdivision_code": c.place, "address": c.address, "phone": c.phone,
                    "latitude": Decimal(c.latitude), "longitude": Decimal(c.longitude),
                    "requires_appointment": True, "is_active": True})
            centres.append(centre)
        for d in DEMO_DOCTORS[country]:
            doctor, _new = Doctor.objects.get_or_create(
                country=country, registration_code=d.registration_code,
                defaults={"given_names": d.given_names, "family_names": d.family_names,
                          "title": d.title})
            if doctor.title != d.title:  # a demo loaded before doctors had a title
                doctor.title = d.title
                doctor.save(update_fields=["title"])
            centre = centres[d.centre]
            doctor.centres.add(centre)
            for code, weekdays, start, end in d.hours:
                doctor.specialties.add(specialties[code])
                for weekday in weekdays:
                    Schedule.objects.get_or_create(
                        centre=centre, service=specialties[code], doctor=doctor,
                        weekday=weekday, start_time=start,
                        defaults={"end_time": end, "slot_minutes": DEMO_MEDICAL_SLOT_MINUTES,
                                  "capacity": 1, "valid_from": today})
        for centre in centres:
            created += slots_generate(centre=centre, date_from=today,
                                      date_to=today + timedelta(days=days)).created
        if country == DEMO_REFERRAL_ID[0]:
            person = Person.objects.filter(country=country,
                                           id_number=DEMO_REFERRAL_ID[1]).first()
            if person is not None and not Referral.objects.filter(
                    person=person, specialty=specialties["ophthalmology"],
                    status=Referral.Status.ACTIVE).exists():
                Referral.objects.create(
                    person=person, specialty=specialties["ophthalmology"],
                    issued_by="Dra. María José Andrade Salazar — Hospital del Día IESS Central",
                    doctor=Doctor.objects.get(country=country, registration_code="MSP-1700001"),
                    centre=centres[0], issued_on=today, expires_on=today + timedelta(days=90))
    return created
