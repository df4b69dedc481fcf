"""A walk over every page of the web channels, as the people who use them: the public and
an applicant (registration), an affiliate (portal), staff (back office) and the Django
admin's sign-in.

Tests of whole classes of defects use it instead of one test per page: the languages of
every form (``test_forms_language.py``) and hostile input in every field
(``test_forms_hostile.py``). It knows no page by heart beyond where each person starts:

- ``world()`` loads the demo data (every kind of affiliate, staff of every role, centres,
  slots, applications in every state) through the services, and adds what the demo has not
  (an appointment, an office visit, a draft application);
- ``crawl()`` follows every link and submits every GET form (with the first choices) from
  the starting pages, up to ``PER_NAME`` pages per URL name, and parses each page's forms;
- ``URL_NAMES_WITHOUT_FORMS`` lists the pages the walk may skip, each with why; a test
  fails when a page of ``registration:``, ``web:``, ``portal:`` or ``staff:`` is neither walked nor
  listed there, so a new page cannot be forgotten.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.test import Client
from django.urls import Resolver404, resolve

NAMESPACES = ("registration", "web", "portal", "staff")
PER_NAME = 3      # pages visited per URL name (public ids and query strings vary)
MAX_PAGES = 400

# Pages the walk does not need to open, and why.
URL_NAMES_WITHOUT_FORMS = {
    "registration:card": "a PDF download",
    "registration:resume": "a one-time link that signs the browser in and redirects",
    "registration:verify": "a public page without a form (card verification)",
    "registration:remove_document": "POST-only button without fields",
    "portal:logout": "POST-only button without fields",
    "portal:clave_link": "a one-time link from an e-mail (its form is ClaveLinkForm, walked "
                         "through clave_link_page())",
    "portal:appointment_ics": "a calendar file",
    "portal:appointment_pdf": "a PDF download",
    "portal:visit_ics": "a calendar file",
    "portal:visit_pdf": "a PDF download",
    "portal:appointment_copy": "POST-only button without fields",
    "portal:appointment_alert_cancel": "POST-only button without fields",
    "portal:certificate_receipt": "a PDF download",
    "portal:certificate_upload_remove": "POST-only button without fields (shown with a file "
                                        "kept; the walk keeps none)",
    "staff:logout": "POST-only button without fields",
    "staff:document_file": "a document download",
    "staff:certificate_file": "a certificate's scan: an image or a PDF download",
    "staff:person_case_opened": "a confirmation page without a form",
    "staff:home": "redirects to the first page of the staff member's role",
    "staff:callcentre_change": "redirects to the call centre's list of times (walked)",
}
SKIP_NAMES = {"registration:card", "portal:appointment_ics", "portal:appointment_pdf",
              "portal:certificate_receipt",
              "portal:visit_ics", "portal:visit_pdf", "staff:document_file",
              "staff:certificate_file",
              "registration:resume", "portal:clave_link"}

DEMO_PASSWORD = "Ventanilla-demo-2026"


# --- the world ---------------------------------------------------------------------------

@dataclass
class World:
    affiliate: object          # Carmen Elena Vásquez Torres (EC), with dependants
    staff: object              # the demo administrator (every permission)
    booking: object            # Carmen's next medical appointment
    visit: object              # Carmen's office visit
    application: object        # a draft application, e-mail confirmed, nothing answered
    applications: dict[str, object] = field(default_factory=dict)  # role -> application
    seeds: dict[str, list[str]] = field(default_factory=dict)
    certificate_draft: dict = field(default_factory=dict)   # a certificate being typed


APPLICATION_ROLES = {"applicant": "draft", "applicant_unconfirmed": "started",
                     "applicant_complete": "complete", "applicant_submitted": "submitted"}


def _application(state: str, n: int):
    """An Ecuadorian application driven to ``state`` through the services."""
    from ventanilla.accounts import one_time
    from ventanilla.accounts.models import OneTimeSecret
    from ventanilla.core.channels import Channel
    from ventanilla.demo.affiliates import cedula
    from ventanilla.demo.data import DEMO_PDF
    from ventanilla.registration import selectors, services

    email = f"walk{n}@example.com"
    app = services.application_start(country="EC", channel=Channel.WEB, email=email,
                                      language="es")
    if state == "started":
        return app
    code = one_time.code_issue(purpose=OneTimeSecret.Purpose.EMAIL_CODE,
                               subject=str(app.public_id), email=email,
                               ttl=timedelta(minutes=5))
    services.application_confirm_email(application=app, code=code)
    if state == "draft":
        return app
    services.application_update(application=app, answers={
        "email": email, "given_names": "María José", "family_names": "Guamán Quishpe",
        "date_of_birth": date(1988, 4, 12), "nationality": "EC", "id_type": "cedula",
        "id_number": cedula(f"17099988{n}"), "mobile_phone": "0991234567",
        "subdivision_code": "170150", "street": "Av. Amazonas N24-03",
        "has_previous_health_card": False, "documents_in_other_language": False,
        "affiliation_type": "voluntary"})
    for item in selectors.application_checklist(app):
        if item.kind.required and not item.kind.provided_by_form:
            services.document_upload(application=app, kind=item.kind.code, data=DEMO_PDF,
                                     filename=f"{item.kind.code}.pdf")
    if state == "submitted":
        services.application_submit(application=app, declaration=True)
        app.refresh_from_db()
    return app


def world() -> World:
    """The demo data and a few things more (run inside a transaction the test rolls back)."""
    from ventanilla.accounts.services import roles_sync
    from ventanilla.core.channels import Channel
    from ventanilla.demo.affiliates import cedula
    from ventanilla.demo.data import load
    from ventanilla.people.models import Person
    from ventanilla.scheduling import services as scheduling
    from ventanilla.scheduling.defaults import office_services_ensure
    from ventanilla.scheduling.models import Slot

    roles_sync()
    load()
    from django.contrib.auth import get_user_model

    carmen = Person.objects.get(id_number=cedula("170555123"))
    staff = get_user_model().objects.get(username="admin")
    slot = (Slot.objects.filter(centre__country="EC", service__code="general_medicine",
                                booked_count=0).order_by("starts_at").first())
    booking = scheduling.booking_create(slot=slot, person=carmen, channel=Channel.WEB)
    office = office_services_ensure("EC")[0]
    visit_slot = (Slot.objects.filter(service=office, booked_count=0,
                                      starts_at__gte=slot.ends_at + timedelta(days=1))
                  .order_by("starts_at").first())
    visit = scheduling.booking_create(slot=visit_slot, person=carmen, channel=Channel.WEB)
    applications = {role: _application(state, n)
                    for n, (role, state) in enumerate(APPLICATION_ROLES.items())}
    from ventanilla.cases.models import CaseKind
    from ventanilla.cases.services import case_open_in_person
    from ventanilla.dependants.services import dependant_request_create

    case_open_in_person(person=carmen, kind=CaseKind.CONTRIBUTION_ERROR,
                        description="Falta el pago de marzo.", channel=Channel.WEB)
    dependant_request_create(
        holder_person=carmen, relationship="child", channel=Channel.WEB, actor=carmen.user,
        dependant={"id_type": "cedula", "id_number": cedula("170555127"),
                   "given_names": "Lucía", "family_names": "Andrade Vásquez",
                   "date_of_birth": date(2019, 2, 3), "nationality": "EC"})
    staff_certificates = _staff_certificates(carmen, staff)
    blocked = Person.objects.get(id_number=cedula("171234567"))
    w = World(affiliate=carmen, staff=staff, booking=booking, visit=visit,
              application=applications["applicant"], applications=applications)
    certificates, w.certificate_draft = _portal_certificates(carmen)
    from ventanilla.countries.registry import get_pack

    visit_day = visit.slot.starts_at.astimezone(get_pack("EC").tz).date()
    what = urlencode({"booked_for": str(carmen.public_id), "specialty": "general_medicine",
                      "province": "17", "city": "1701"})
    # a specialty no centre of that canton (Riobamba) offers: the "no slots" page
    nothing_there = urlencode({"booked_for": str(carmen.public_id), "specialty": "psychology",
                               "province": "06", "city": "0601"})
    from ventanilla.channels.web import steps

    w.seeds = {
        "anonymous": ["/", "/registro/", "/registro/EC/correo/", "/registro/PE/correo/",
                      "/solicitud/continuar/", "/tramites/", "/consulta-sis/",
                      "/certificados/verificar/",
                      "/portal/entrar/", "/portal/clave/", "/portal/clave/en-linea/",
                      "/portal/visitas/identificarse/", "/portal/visitas/codigo/",
                      "/staff/entrar/", "/admin/login/"],
        "applicant": ["/solicitud/", "/solicitud/documentos/", "/solicitud/revisar/",
                      *[f"/solicitud/preguntas/{s.slug}/" for s in steps.STEPS]],
        "applicant_unconfirmed": ["/solicitud/codigo/"],
        "applicant_complete": ["/solicitud/revisar/", "/solicitud/declaracion/"],
        "applicant_submitted": ["/solicitud/confirmacion/"],
        "visitor": ["/portal/visitas/codigo/"],
        "affiliate": ["/portal/", "/portal/citas/", "/portal/citas/nueva/",
                      "/portal/citas/nueva/especialidad/",
                      f"/portal/citas/nueva/especialidad/?{what}",
                      f"/portal/citas/nueva/fecha/?{nothing_there}",
                      "/portal/dependientes/nueva/datos/?relationship=child"
                      "&union_kind=marriage&marriage_abroad=0",
                      "/portal/visitas/", "/portal/visitas/nueva/", "/portal/dependientes/",
                      "/portal/dependientes/nueva/", "/portal/aportes/",
                      "/portal/aportes/reportar-error/", "/portal/tramites/nuevo/",
                      f"/portal/citas/{booking.public_id}/",
                      f"/portal/citas/{booking.public_id}/cancelar/",
                      f"/portal/visitas/{visit.public_id}/",
                      f"/portal/visitas/{visit.public_id}/cancelar/",
                      "/portal/certificados/", *certificates],
        "staff": ["/staff/cola/", "/staff/mostrador/", "/staff/personas/",
                  f"/staff/personas/{carmen.public_id}/", "/staff/dependientes/",
                  f"/staff/personas/{blocked.public_id}/",
                  f"/staff/visitas/?centro={visit.slot.centre.public_id}"
                  f"&fecha={visit_day.isoformat()}",
                  f"/staff/personas/{carmen.public_id}/dependientes/nueva/",
                  f"/staff/personas/{carmen.public_id}/referencias/nueva/",
                  "/staff/visitas/", "/staff/llamadas/", f"/staff/llamadas/{carmen.public_id}/",
                  f"/staff/llamadas/{carmen.public_id}/cita/",
                  f"/staff/llamadas/{carmen.public_id}/citas/{booking.public_id}/",
                  f"/staff/llamadas/{carmen.public_id}/citas/{booking.public_id}/cambiar/",
                  f"/staff/llamadas/{carmen.public_id}/citas/{booking.public_id}/cancelar/",
                  "/staff/residentes-sin-cobertura/", *staff_certificates],
    }
    return w


def _staff_certificates(carmen, staff) -> list[str]:
    """Sick-leave certificates (issue 13): one waiting at the validators' desk, an attended
    medical appointment to issue one for, and one issued; the staff pages of each."""
    from ventanilla.certificates import services as certificates
    from ventanilla.certificates.tests import factories
    from ventanilla.scheduling.models import Centre

    waiting = factories.submitted(carmen, patient_names=carmen.full_name,
                                  patient_id_number=carmen.id_number)
    clinic = Centre.objects.filter(country="EC", kind=Centre.Kind.MEDICAL).first()
    attended = factories.visit(clinic, carmen, at=factories.VISIT_AT + timedelta(minutes=7))
    issued = factories.visit(clinic, carmen, at=factories.VISIT_AT + timedelta(minutes=27),
                             service_code="dentistry")
    certificates.certificate_issue(booking=issued, actor=staff, diagnosis="Resfriado común",
                                   icd10_code="J00", rest_start="07/12/2026",
                                   rest_end="08/12/2026",
                                   now=factories.VISIT_AT + timedelta(hours=2))
    return [f"/staff/certificados/{waiting.case.reference}/",
            f"/staff/citas/{attended.public_id}/certificado/",
            f"/staff/citas/{issued.public_id}/certificado/emitido/"]


def _portal_certificates(carmen) -> tuple[list[str], dict]:
    """Carmen's certificate pages: one waiting, one sent back to correct, and every step
    of one being typed (a maternity certificate from abroad in English, so that every
    step applies; the draft goes in her session)."""
    from ventanilla.accounts.roles import Role
    from ventanilla.accounts.services import staff_create
    from ventanilla.certificates import services
    from ventanilla.certificates.checks import CertificateIn
    from ventanilla.countries.registry import get_pack
    from ventanilla.demo.data import DEMO_PDF

    day = get_pack("EC").today().strftime("%d/%m/%Y")
    typed = dict(
        kind="illness", doctor_name="Dra. Lucía Andrade", doctor_specialty="Medicina interna",
        establishment="Clínica La Merced", doctor_email="l.andrade@lamerced.ec",
        doctor_registration="1005-2016-1727394", establishment_phone="02 245 6789",
        establishment_address="Av. 10 de Agosto N24-35, Quito", issued_on=day,
        issued_place="Quito", issued_country="EC", language="es",
        patient_names=carmen.full_name, patient_id_number=carmen.id_number,
        diagnosis="Faringitis aguda", icd10_code="J02.9", rest_start=day, rest_end=day,
        rest_days="1", rest_days_words="uno")
    certs = [services.certificate_submit(
        submitter=carmen, patient=carmen, data=CertificateIn.of(typed), channel="web",
        files={"scan": services.Upload(DEMO_PDF, "certificado.pdf")}, idempotency_key=key)
        for key in ("walk-1", "walk-2")]
    validator = staff_create(username="walk.validador", password="Staff-password-123",
                             role=Role.VALIDATOR, country="EC")
    services.certificate_return(certificate=certs[1], actor=validator,
                                note="El sello no se lee.")
    new = "/portal/certificados/nuevo/"
    pages = [f"/portal/certificados/{c.case.reference}/{suffix}" for c in certs
             for suffix in ("", "enviado/", "corregir/")]
    pages += [new, f"{new}revisar/", *[f"{new}{slug}/" for slug in (
        "tipo", "medico", "paciente", "codigo", "dias", "detalles")],
        *[f"{new}archivo/{slug}/" for slug in ("certificado", "apostilla", "traduccion")]]
    draft = {"patient": str(carmen.public_id), "files": {}, "icd10_confirmed": "", "key": "",
             "data": {**typed, "kind": "maternity", "issued_country": "US",
                      "language": "en"}}
    return pages, draft


ROLES = ("anonymous", *APPLICATION_ROLES, "visitor", "affiliate", "staff")


def all_url_names() -> set[str]:
    from django.urls import get_resolver

    names = set()
    for namespace in NAMESPACES:
        resolver = get_resolver().namespace_dict[namespace][1]
        names |= {f"{namespace}:{n}" for n in resolver.reverse_dict if isinstance(n, str)}
    return names


def client_for(role: str, w: World, *, language: str) -> Client:
    """A browser of that person, asking for ``language``."""
    from ventanilla.channels.web import session

    client = Client(headers={"accept-language": language})
    client.cookies["django_language"] = language
    if role == "affiliate":
        client.force_login(w.affiliate.user, backend="django.contrib.auth.backends.ModelBackend")
        if w.certificate_draft:
            from ventanilla.channels.portal.certificate_steps import SESSION_KEY

            s = client.session
            s[SESSION_KEY] = w.certificate_draft
            s.save()
    elif role == "staff":
        client.force_login(w.staff, backend="django.contrib.auth.backends.ModelBackend")
    elif role in APPLICATION_ROLES:
        s = client.session
        s[session.KEY] = str(w.applications[role].public_id)
        s.save()
    elif role == "visitor":  # gave their ID and date of birth; the code went by e-mail
        from ventanilla.channels.portal.views import VISITOR_PENDING_KEY

        s = client.session
        s[VISITOR_PENDING_KEY] = {"country": "EC", "id_type": w.affiliate.id_type,
                                  "id_number": w.affiliate.id_number}
        s.save()
    return client


# --- pages and their forms ---------------------------------------------------------------

@dataclass
class Field:
    name: str
    kind: str                  # input type, "select", "textarea"
    value: str = ""
    checked: bool = False
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    method: str
    action: str
    fields: list[Field] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        seen: dict[str, None] = {}
        for f in self.fields:
            if f.name and f.kind not in ("submit", "button", "image", "reset"):
                seen.setdefault(f.name, None)
        return list(seen)

    def baseline(self) -> dict[str, list[str]]:
        """What a person who takes every first choice and types ordinary answers sends."""
        out: dict[str, list[str]] = {}
        for f in self.fields:
            if not f.name or f.kind in ("submit", "button", "image", "reset", "file"):
                continue
            if f.kind == "radio":
                if f.name not in out or f.checked:
                    out[f.name] = [f.value]
            elif f.kind == "checkbox":
                out.setdefault(f.name, []).append(f.value or "on")
            elif f.kind == "select":
                chosen = f.value or next((o for o in f.options if o), "")
                out[f.name] = [chosen]
            elif f.kind == "hidden" or f.value:
                out.setdefault(f.name, [f.value])
            else:
                out.setdefault(f.name, [typical_answer(f.name, f.kind)])
        return out


TYPICAL = {
    "email": "ana@example.com", "id_number": "1710034065", "given_names": "Ana María",
    "family_names": "Paz Vera", "mobile_phone": "0991234567", "street": "Av. Amazonas 123",
    "password": "una clave larga 2026", "username": "admin", "code": "123456",
    "reference": "EC-7KQ29XW4P", "description": "El pago de marzo no aparece.",
    "reason": "Documento ilegible", "detail": "Motivo", "issued_by": "Dr. Pérez",
    "phone_last_digits": "4567", "residency_document": "VR-2024-1",
    "social_security_number": "123", "inscription_reference": "RC-1",
}


def typical_answer(name: str, kind: str) -> str:
    base = name.rsplit("-", 1)[-1]
    for suffix, value in (("_day", "12"), ("_month", "4"), ("_year", "1988")):
        if base.endswith(suffix):
            return value
    if kind == "date":
        return (date.today() + timedelta(days=1)).isoformat()
    return TYPICAL.get(base, "texto")


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = Form(method=a.get("method", "get").lower(), action=a.get("action", ""))
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            self._form.fields.append(Field(a.get("name", ""), kind, a.get("value", ""),
                                           "checked" in a))
        elif tag == "select":
            self._select = Field(a.get("name", ""), "select")
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
            if "selected" in a:
                self._select.value = a.get("value", "")
        elif tag == "textarea":
            self._textarea = Field(a.get("name", ""), "textarea")
            self._form.fields.append(self._textarea)
        elif tag == "button" and a.get("name"):
            self._form.fields.append(Field(a["name"], "submit", a.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


@dataclass
class Page:
    role: str
    url: str
    url_name: str
    status: int
    html: str
    forms: list[Form]
    links: list[str]


def url_name(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    if match.namespace in NAMESPACES:
        return f"{match.namespace}:{match.url_name}"
    if match.url_name == "login" and match.namespace == "admin":
        return "admin:login"
    return None


def walk_key(path: str) -> str | None:
    """Pages of one URL name count once per slug (each question page, each document), not
    per public id or query string."""
    name = url_name(path)
    if name is None:
        return None
    kwargs = resolve(urlsplit(path).path).kwargs
    slugs = [str(v) for v in kwargs.values() if isinstance(v, str) and len(v) < 32]
    return ":".join([name, *slugs])


def parse(body: str) -> tuple[list[Form], list[str]]:
    parser = _PageParser()
    parser.feed(body)
    return parser.forms, parser.links


def _absolute(base: str, href: str) -> str | None:
    href = href.split("#", 1)[0]  # the parser has already decoded "&amp;"
    if not href:
        return None
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path:
        return urlsplit(base).path + (f"?{parts.query}" if parts.query else "")
    if not parts.path.startswith("/"):
        return None
    return href


def open_page(client: Client, role: str, url: str) -> Page | None:
    name = url_name(url)
    if name is None or name in SKIP_NAMES:
        return None
    r = client.get(url, follow=True)
    final = r.redirect_chain[-1][0] if r.redirect_chain else url
    final_name = url_name(final)
    if (final_name is None or "text/html" not in r.get("Content-Type", "")
            or r.status_code == 405):  # a POST-only address found in a form's action
        return None
    body = r.content.decode()
    forms, links = parse(body)
    return Page(role, final, final_name, r.status_code, body, forms, links)


def crawl(client: Client, role: str, seeds: Iterable[str]) -> list[Page]:
    """Every page reachable from ``seeds`` by links and GET forms (first choices)."""
    queue = list(seeds)
    seen_urls: set[str] = set()
    per_name: dict[str, int] = {}
    pages: list[Page] = []
    while queue and len(pages) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen_urls:
            continue
        seen_urls.add(url)
        key = walk_key(url)
        if key is None or per_name.get(key, 0) >= PER_NAME:
            continue
        page = open_page(client, role, url)
        if page is None:
            continue
        if page.url in seen_urls and page.url != url:
            continue  # a redirect to a page already walked
        seen_urls.add(page.url)
        key = walk_key(page.url) or page.url_name
        per_name[key] = per_name.get(key, 0) + 1
        pages.append(page)
        for href in page.links:
            target = _absolute(page.url, href)
            if target and target not in seen_urls:
                queue.append(target)
        for form in page.forms:
            if form.method == "get":
                action = _absolute(page.url, form.action) or urlsplit(page.url).path
                data = [(k, v) for k, vs in form.baseline().items() for v in vs]
                target = f"{urlsplit(action).path}?{urlencode(data)}"
                if target not in seen_urls:
                    queue.append(target)
    return pages


def form_target(page: Page, form: Form) -> str:
    return _absolute(page.url, form.action) or page.url


# --- the visible text of a page ----------------------------------------------------------

class _TextParser(HTMLParser):
    VISIBLE_ATTRS = ("placeholder", "title", "aria-label", "alt")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1
        for k, v in attrs:
            if v and (k in self.VISIBLE_ATTRS or k.startswith("data-i18n")):
                self.chunks.append(v)
        if tag == "input" and dict(attrs).get("type") in ("submit", "button"):
            self.chunks.append(dict(attrs).get("value") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.chunks.append(data)


def visible_text(body: str) -> list[str]:
    parser = _TextParser()
    parser.feed(body)
    return [re.sub(r"\s+", " ", c).strip() for c in parser.chunks if c.strip()]


def query_of(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)
