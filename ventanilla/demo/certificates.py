"""The demo's sick-leave certificates (R-CER-01..05), in every state, for both countries.

Each paper of ``certificate_papers.PAPERS`` is submitted through
``certificates.services.certificate_submit`` as of its day (``now=``), with a scan drawn
from what was typed (``scans``), and decided by the country's demo validator through
``certificate_validate`` / ``certificate_reject`` / ``certificate_return``. The institution's
own certificates are issued by the demo clinicians for an appointment booked, attended and
recorded through the scheduling services. The services stamp their rows with the real
time; like the overdue demo application, the rows are then moved back to the day the story
happened (the case's history, the certificate and its files; the audit log keeps the real
time of the load), so nothing "was submitted today, due last week".
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone
from num2words import num2words

from ventanilla.certificates import services
from ventanilla.certificates.checks import CertificateIn
from ventanilla.certificates.models import Certificate
from ventanilla.certificates.rules import CHECKLIST
from ventanilla.core.channels import Channel
from ventanilla.countries.registry import get_pack

from . import scans
from .certificate_papers import DOCTORS, INSTITUTION, PAPERS, Paper

SUBMITTED_AT = time(10)
DECIDED_AT = time(11)
ID_LABELS = {"EC": "cédula", "PE": "DNI"}


def _day(country: str, offset: int) -> date:
    return get_pack(country).today() + timedelta(days=offset)


def _moment(country: str, day: date, at: time) -> datetime:
    """``at`` o'clock on ``day`` in the country, never later than now."""
    return min(datetime.combine(day, at, tzinfo=get_pack(country).tz), timezone.now())


def _typed(day: date) -> str:
    """A date as an input's value: ISO (parse_day reads it like day/month/year)."""
    return day.isoformat()


def typed(paper: Paper) -> CertificateIn:
    """The paper as the person types it (dates as inputs send them, ISO)."""
    start, end = (_day(paper.country, d) for d in paper.rest)
    issued = _day(paper.country, paper.rest[0] if paper.issued is None else paper.issued)
    extra = {name: _typed(_day(paper.country, v)) if isinstance(v, int) else v
             for name, v in paper.extra.items()}
    return CertificateIn(
        kind=paper.kind, **DOCTORS[paper.doctor], issued_on=_typed(issued),
        issued_country=paper.country, language="es", patient_names=paper.names,
        patient_id_number=paper.patient, diagnosis=paper.diagnosis, icd10_code=paper.icd10,
        rest_start=_typed(start), rest_end=_typed(end), rest_days=str((end - start).days + 1),
        # R-CER-04 (Ecuador): the days in words too, as the paper writes them
        rest_days_words=num2words((end - start).days + 1, lang="es"),
        late_reason=paper.late_reason, **extra)


def scan(paper: Paper, data: CertificateIn) -> services.Upload:
    drawing = scans.paper(data, id_label=ID_LABELS[paper.country], flaws=paper.flaws)
    render = {"pdf": scans.pdf, "png": scans.png, "jpeg": scans.jpeg}[paper.scan]
    extension = "jpg" if paper.scan == "jpeg" else paper.scan
    return services.Upload(render(drawing), f"certificado-{paper.key}.{extension}")


def _moved_to(cert: Certificate, moment: datetime, *, since: datetime,
              opened: bool = False) -> None:
    """The rows the last service call stamped (since ``since``) moved to ``moment``."""
    from ventanilla.cases.models import Case, CaseEvent

    CaseEvent.objects.filter(case_id=cert.case_id, at__gte=since).update(at=moment)
    case_fields: dict = {"updated_at": moment}
    if opened:
        case_fields.update(created_at=moment)
        Certificate.objects.filter(pk=cert.pk).update(created_at=moment)
        cert.files.update(created_at=moment, updated_at=moment)
    case = Case.objects.get(pk=cert.case_id)
    if case.submitted_at is not None and case.submitted_at >= since:
        case_fields["submitted_at"] = moment
    if case.closed_at is not None and case.closed_at >= since:
        case_fields["closed_at"] = moment
    Case.objects.filter(pk=cert.case_id).update(**case_fields)
    Certificate.objects.filter(pk=cert.pk).update(updated_at=moment)


def _submit(paper: Paper, people: dict, validators: dict) -> Certificate:
    patient = people[paper.patient]
    submitter = people[paper.submitter] if paper.submitter else patient
    data = typed(paper)
    when = _moment(paper.country, _day(paper.country, paper.submitted), SUBMITTED_AT)
    since = timezone.now()
    cert = services.certificate_submit(submitter=submitter, patient=patient, data=data,
                                       files={"scan": scan(paper, data)},
                                       channel=Channel.WEB, now=when)
    _moved_to(cert, when, since=since, opened=True)
    if paper.outcome == "waiting":
        return cert
    actor = validators[paper.country]
    decided = _moment(paper.country, _day(paper.country, paper.decided), DECIDED_AT)
    since = timezone.now()
    if paper.outcome == "validated":
        cert = services.certificate_validate(certificate=cert, actor=actor,
                                             checklist=set(CHECKLIST), now=decided)
    elif paper.outcome == "rejected":
        cert = services.certificate_reject(certificate=cert, actor=actor,
                                           reasons=list(paper.reasons), note=paper.note,
                                           now=decided)
    else:
        cert = services.certificate_return(certificate=cert, actor=actor, note=paper.note,
                                           now=decided)
    _moved_to(cert, decided, since=since)
    return cert


def _visit_day(country: str, days_ago: int) -> date:
    """``days_ago`` before today, moved back to a day the demo doctors work (not Sunday)."""
    day = _day(country, -days_ago)
    while day.weekday() == 6:
        day -= timedelta(days=1)
    return day


def _issue(spec: dict, people: dict, clinicians: dict) -> Certificate:
    """R-CER-01: a general-medicine appointment at the clinician's centre, booked two days
    before, attended, and the rest certificate issued right after the visit."""
    from ventanilla.scheduling.models import Centre, Service, Slot
    from ventanilla.scheduling.services import booking_attendance_record, booking_create

    country = spec["country"]
    tz = get_pack(country).tz
    person = people[spec["patient"]]
    actor = clinicians[spec["clinician"]]
    centre = Centre.objects.get(code=spec["centre"])
    service = Service.objects.get(country=country, code="general_medicine")
    doctor = (centre.doctors.filter(specialties=service).order_by("registration_code")
              .first())
    day = _visit_day(country, spec["days_ago"])
    starts = datetime.combine(day, time(9), tzinfo=tz)
    slot, _new = Slot.objects.get_or_create(
        centre=centre, service=service, starts_at=starts,
        defaults={"doctor": doctor, "ends_at": starts + timedelta(minutes=20)})
    booking = booking_create(slot=slot, person=person, channel=Channel.WEB,
                             now=starts - timedelta(days=2))
    booking = booking_attendance_record(booking=booking, attended=True, actor=actor,
                                        now=starts + timedelta(minutes=5))
    issued = starts + timedelta(minutes=30)
    since = timezone.now()
    cert = services.certificate_issue(
        booking=booking, actor=actor, diagnosis=spec["diagnosis"], icd10_code=spec["icd10"],
        rest_start=_typed(day), rest_end=_typed(day + timedelta(days=spec["rest_days"] - 1)),
        now=issued)
    _moved_to(cert, issued, since=since, opened=True)
    return cert


def load(*, people: dict, validators: dict, clinicians: dict) -> dict[str, Certificate]:
    """Every demo certificate, by its key. ``people``: the demo affiliates by ID number;
    ``validators``: the demo validator of each country; ``clinicians`` by username."""
    made: dict[str, Certificate] = {str(spec["key"]): _issue(spec, people, clinicians)
                                    for spec in INSTITUTION}
    for paper in PAPERS:
        made[paper.key] = _submit(paper, people, validators)
    return made
