"""Demo affiliates of every type, with contribution histories, dependants, a lapsed
foreign resident (R-ID-03), a blocked account (R-APT-05) and an in-person case.

All through the services (registration numbers, affiliations, payments, the clave issued
at a counter and set by the person), like real use. Every demo affiliate's clave is the
demo password; the README lists who is who.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify

from ventanilla.accounts import blocks, clave
from ventanilla.affiliation.services import affiliation_end, affiliation_open
from ventanilla.cases.models import CaseKind
from ventanilla.cases.services import case_open_in_person
from ventanilla.contributions.selectors import contribution_quote
from ventanilla.contributions.services import payment_record
from ventanilla.core.channels import Channel
from ventanilla.core.errors import DomainError
from ventanilla.people.services import person_register
from ventanilla.registration.services import registration_number_issue


def cedula(base9: str) -> str:
    from stdnum.ec import ci

    return next(base9 + str(d) for d in range(10) if ci.is_valid(base9 + str(d)))


@dataclass
class Demo:
    country: str
    id_type: str
    id_number: str
    given: str
    family: str
    born: date
    affiliation_type: str
    since: date
    nationality: str = ""
    phone: str = ""
    place: str = ""
    paid_months: int = 0          # months paid, counting back from last month; -1: all
    unpaid_recent: int = 0        # the most recent months left unpaid (arrears)
    ends_on: date | None = None
    residency_document: str = ""
    clave: bool = True
    dependants: list[tuple[str, Demo]] = field(default_factory=list)


def _years_ago(years: int, days: int = 0) -> date:
    today = timezone.localdate()
    try:
        day = today.replace(year=today.year - years)
    except ValueError:
        day = today.replace(year=today.year - years, day=28)
    return day + timedelta(days=days)


def people() -> list[Demo]:
    return [
        Demo("EC", "cedula", cedula("170555123"), "Carmen Elena", "Vásquez Torres",
             date(1982, 3, 14), "employee", date(2012, 5, 1), phone="+593991112233",
             place="170150", paid_months=-1, dependants=[
                 ("spouse", Demo("EC", "cedula", cedula("170555124"), "Jorge Luis",
                                 "Andrade Mora", date(1980, 8, 2), "dependant",
                                 date(2015, 1, 1), clave=False)),
                 ("child", Demo("EC", "cedula", cedula("170555125"), "Sofía",
                                "Andrade Vásquez", date(2014, 6, 9), "dependant",
                                date(2014, 7, 1), clave=False)),
                 # turns 18 in three weeks: coverage ends on the birthday, no one acting
                 ("child", Demo("EC", "cedula", cedula("170555126"), "Mateo",
                                "Andrade Vásquez", _years_ago(18, 21), "dependant",
                                date(2012, 6, 1), clave=False)),
             ]),
        Demo("EC", "cedula", cedula("091234567"), "Pedro Pablo", "Cevallos Intriago",
             date(1975, 10, 21), "voluntary", date(2024, 1, 1), phone="+593987654321",
             place="090150", paid_months=14, unpaid_recent=2),
        Demo("EC", "cedula", cedula("010987654"), "Gloria Beatriz", "Salazar Cordero",
             date(1956, 2, 27), "pensioner", date(2016, 3, 1), phone="+593998877001",
             place="010150"),
        Demo("EC", "cedula", cedula("060123456"), "Segundo Manuel", "Chicaiza Guamán",
             date(1968, 11, 2), "peasant", date(2005, 1, 1), phone="+593969001122",
             place="060150", paid_months=12),
        Demo("EC", "passport", "AB123456", "Camila Andrea", "Rojas Díaz", date(1991, 7, 17),
             "voluntary", date(2024, 1, 1), nationality="CO", phone="+593984445566",
             place="170150", paid_months=0, residency_document="VR-2023-004512"),
        Demo("EC", "cedula", cedula("171234567"), "Diego Armando", "Paredes Lema",
             date(1990, 5, 5), "employee", date(2018, 2, 1), phone="+593991230000",
             place="170150", paid_months=-1, unpaid_recent=2),
        # R-APT-14, the booking walked as five people (with Gloria in Cuenca, where no
        # centre has medical times, and Segundo Manuel, peasant insurance): an affiliate
        # with nothing booked, one at her daily limit and one with a Dentistry appointment
        # on a day that still has other Dentistry times (ventanilla/demo/appointments.py)
        Demo("EC", "cedula", cedula("170888111"), "Andrea Lucía", "Ortega Pazmiño",
             date(1987, 9, 23), "employee", date(2015, 3, 1), phone="+593991110011",
             place="170150", paid_months=-1),
        Demo("EC", "cedula", cedula("170888222"), "Marcela Inés", "Jaramillo Vera",
             date(1979, 4, 30), "employee", date(2010, 9, 1), phone="+593991110022",
             place="170150", paid_months=-1),
        Demo("EC", "cedula", cedula("090888444"), "Washington Efraín", "Mero Zambrano",
             date(1972, 12, 8), "employee", date(2008, 6, 1), phone="+593991110044",
             place="090150", paid_months=-1),
        Demo("PE", "dni", "40123456", "Juan Carlos", "Huamán Flores", date(1984, 1, 19),
             "essalud_regular", date(2010, 4, 1), phone="+51912300456", place="150113",
             paid_months=-1, dependants=[
                 ("spouse", Demo("PE", "dni", "40123457", "Lucía", "Torres Vega",
                                 date(1986, 9, 30), "dependant", date(2012, 1, 1),
                                 clave=False)),
                 ("child", Demo("PE", "dni", "70123458", "Diego", "Huamán Torres",
                                date(2016, 12, 1), "dependant", date(2017, 1, 1),
                                clave=False)),
             ]),
        Demo("PE", "dni", "45678912", "Maribel", "Condori Apaza", date(1995, 4, 8),
             "sis_para_todos", date(2022, 8, 1), phone="+51987600123", place="080101"),
        Demo("PE", "dni", "41234567", "Víctor Raúl", "Salas Mendoza", date(1979, 12, 12),
             "sis_independiente", date(2023, 1, 1), phone="+51955511223", place="040101",
             paid_months=10, unpaid_recent=3),
        Demo("PE", "dni", "47654321", "Teresa", "Ccori Huallpa", date(1988, 6, 21),
             "sis_gratuito", date(2019, 1, 1), phone="+51944422110", place="080101",
             ends_on=date(2025, 6, 30)),
    ]


def load(*, agent_for, admin, password: str) -> dict[str, object]:
    """Create the demo affiliates; ``agent_for(country)`` gives the counter agent."""
    created = {}
    for demo in people():
        person = _person(demo, agent=agent_for(demo.country), admin=admin, password=password)
        created[demo.id_number] = person
        holder = person.affiliations.get(ends_on=None) if demo.ends_on is None else None
        for relationship, dep in demo.dependants:
            dependant = _person(dep, agent=agent_for(dep.country), admin=admin,
                                password=password, holder=holder, relationship=relationship)
            created[dep.id_number] = dependant
    diego = created[cedula("171234567")]
    blocks.account_block(person=diego, cause="no_shows",
                         detail="3 citas perdidas / 3 missed appointments")
    pedro = created[cedula("091234567")]
    case_open_in_person(person=pedro, kind=CaseKind.CONTRIBUTION_ERROR,
                        description="El pago de marzo de 2024 no aparece. Tengo el "
                                    "comprobante del banco.", channel=Channel.WEB)
    return created


def _person(demo: Demo, *, agent, admin, password: str, holder=None, relationship=""):
    today = timezone.localdate()
    # Vásquez → vasquez (accents folded, not dropped)
    email = f"{slugify(demo.given.split()[0])}.{slugify(demo.family.split()[0])}@example.com"
    person = person_register(
        country=demo.country, id_type=demo.id_type, id_number=demo.id_number,
        given_names=demo.given, family_names=demo.family, date_of_birth=demo.born,
        nationality=demo.nationality or demo.country, email=email,
        mobile_phone=demo.phone, carrier="", subdivision_code=demo.place,
        street="", residency_document=demo.residency_document, language="es",
        registration_number=registration_number_issue(country=demo.country, on=today))
    affiliation = affiliation_open(person=person, affiliation_type=demo.affiliation_type,
                                   starts_on=demo.since, actor=agent, holder=holder,
                                   relationship=relationship)
    if demo.ends_on is not None:
        affiliation_end(affiliation=affiliation, ends_on=demo.ends_on,
                        reason="Reclasificación socioeconómica del hogar", actor=agent)
    _payments(demo, affiliation, admin=admin)
    if demo.clave:
        code = clave.clave_issue(person=person, actor=agent)
        clave.clave_set(person=person, code=code, password=password)
    return person


def _payments(demo: Demo, affiliation, *, admin) -> None:
    """The last ``paid_months`` months paid, except the most recent ``unpaid_recent``."""
    if not demo.paid_months:
        return
    today = timezone.localdate()
    month = today.replace(day=1)
    paid_months = demo.paid_months
    if paid_months < 0:  # every month since the affiliation started
        start = affiliation.starts_on
        paid_months = (month.year - start.year) * 12 + month.month - start.month
    for back in range(1, paid_months + demo.unpaid_recent + 1):
        y, m = divmod(month.year * 12 + month.month - 1 - back, 12)
        period = date(y, m + 1, 1)
        if back <= demo.unpaid_recent or period < affiliation.starts_on.replace(day=1):
            continue
        try:
            amount = contribution_quote(country=demo.country, year=period.year,
                                        affiliation_type=demo.affiliation_type,
                                        month=period.month,
                                        declared_base=Decimal("900.00")).total
        except DomainError:
            amount = Decimal("100.00")
        payment_record(affiliation=affiliation, period=period, amount=amount,
                       paid_on=period + timedelta(days=40), actor=admin,
                       reference=f"DEMO-{period:%Y%m}")
