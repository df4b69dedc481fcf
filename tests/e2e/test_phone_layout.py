"""Phones (issue 12): every main page of the public site, the portal (an affiliate with a long
e-mail address), each booking step and the staff area (a reviewer, an agent, an operator), in
Spanish and in English, at 390 and at 320 CSS pixels wide:

- no page is wider than the screen (WCAG 1.4.10 Reflow: ``scrollWidth <= innerWidth``);
- every link and button is at least 24 by 24 CSS pixels, or far enough from the others
  (WCAG 2.2 SC 2.5.8 Target Size (Minimum), which axe does not check). Links inside a sentence
  are exempt, as the SC says;
- the booking's time step shows its first time in the first screen of a 390 x 844 phone.

Each page is loaded once and measured at both widths (the viewport is resized in place).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from .support import outbox_size, path_of, submit, wait_for_code

pytestmark = pytest.mark.browser

WIDTHS = (390, 320)
PHONE_390 = {"width": 390, "height": 844}
CLAVE = "una clave larga 2026"
PASSWORD = "Staff-password-123"
LONG_EMAIL = "maria.fernanda.guaman.quishpe.1988@correo-institucional-de-ejemplo.com.ec"

# The pages wider than the screen, with the elements that stick out.
TOO_WIDE = """() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  const out = [];
  for (const el of document.querySelectorAll('main *, header *, footer *')) {
    const right = el.getBoundingClientRect().right;
    if (right > width + 1 && out.length < 4) {
      out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} to ${Math.round(right)}px`);
    }
  }
  return `scrollWidth ${document.documentElement.scrollWidth}px: ${out.join('; ')}`;
}"""

# WCAG 2.2 SC 2.5.8: a target is at least 24 x 24 CSS px, or a 24 px circle centred on it
# intersects no other target and no other undersized target's circle. A link inline in a
# sentence (its block holds text that is not a target) is exempt. Stricter than the SC: a
# link in a button group stands in for a button ("No, keep it"), so it gets no spacing
# exception and must be 24 px itself.
SMALL_TARGETS = """() => {
  const MIN = 24, R = MIN / 2;
  const selector = 'a[href], button, input[type=submit], input[type=button], '
    + 'input[type=radio], input[type=checkbox], select, summary, [role=button]';
  const isInline = (el) => getComputedStyle(el).display === 'inline';
  const blockOf = (el) => {
    let node = el.parentElement;
    while (node && ['inline', 'contents'].includes(getComputedStyle(node).display)) {
      node = node.parentElement;
    }
    return node;
  };
  const inSentence = (el) => {
    if (el.tagName !== 'A' || !isInline(el)) return false;
    const block = blockOf(el);
    if (!block) return false;
    const copy = block.cloneNode(true);
    copy.querySelectorAll(selector).forEach((t) => t.remove());
    copy.querySelectorAll('.govuk-visually-hidden').forEach((t) => t.remove());
    return copy.textContent.replace(/[\\s·.,:;()\\-–—|]/g, '').length > 0;
  };
  const targets = [];
  for (const el of document.querySelectorAll(selector)) {
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) continue;   // the skip link until it has focus
    targets.push({el, r, cx: r.left + r.width / 2, cy: r.top + r.height / 2,
                  small: r.width < MIN - 0.5 || r.height < MIN - 0.5,
                  exempt: inSentence(el), grouped: !!el.closest('.govuk-button-group')});
  }
  const touches = (t, o) => {   // t's circle against o's box (or o's circle when o is small)
    const dx = Math.max(o.r.left - t.cx, 0, t.cx - o.r.right);
    const dy = Math.max(o.r.top - t.cy, 0, t.cy - o.r.bottom);
    if (Math.hypot(dx, dy) < R - 0.5) return true;
    return o.small && !o.exempt && Math.hypot(t.cx - o.cx, t.cy - o.cy) < MIN - 0.5;
  };
  const name = (el) => (el.innerText || el.value || el.getAttribute('aria-label') || el.tagName)
    .trim().replace(/\\s+/g, ' ').slice(0, 40);
  const out = [];
  for (const t of targets) {
    if (!t.small || t.exempt) continue;
    if (t.grouped) {
      out.push(`"${name(t.el)}" ${Math.round(t.r.width)}x${Math.round(t.r.height)} px, `
               + 'in a button group');
      continue;
    }
    const near = targets.find((o) => o !== t && !o.el.contains(t.el) && !t.el.contains(o.el)
                                     && touches(t, o));
    if (near) {
      out.push(`"${name(t.el)}" ${Math.round(t.r.width)}x${Math.round(t.r.height)} px, `
               + `too close to "${name(near.el)}"`);
    }
  }
  return out;
}"""


class Measure:
    """Measures each page it is given at every width, and keeps what is wrong."""

    def __init__(self, page, language: str, *, widths=WIDTHS, check_targets: bool = True):
        self.page, self.language = page, language
        self.widths, self.check_targets = widths, check_targets
        self.too_wide: list[str] = []
        self.small_targets: list[str] = []
        self.pages: list[str] = []

    def __call__(self, label: str) -> None:
        page = self.page
        where = f"[{self.language}] {label} {path_of(page)}"
        self.pages.append(where)
        for width in self.widths:
            page.set_viewport_size({"width": width, "height": PHONE_390["height"]})
            wide = page.evaluate(TOO_WIDE)
            if wide:
                self.too_wide.append(f"{where} at {width} px: {wide}")
            if self.check_targets:
                self.small_targets.extend(f"{where} at {width} px: {problem}"
                                          for problem in page.evaluate(SMALL_TARGETS))
        page.set_viewport_size(PHONE_390)


def medical_slots():
    """A centre in Quito with four general-medicine times, three days from now."""
    from django.utils import timezone

    from ventanilla.scheduling.defaults import medical_services_ensure
    from ventanilla.scheduling.models import Centre, Doctor, Slot

    services = {s.code: s for s in medical_services_ensure("EC")}
    centre = Centre.objects.create(country="EC", kind=Centre.Kind.MEDICAL, code="ec-hq",
                                   name="Hospital del Sur", subdivision_code="170150",
                                   address="Av. Maldonado S11-122 y Quimiag", latitude=-0.28,
                                   longitude=-78.54)
    doctor = Doctor.objects.create(country="EC", given_names="María", family_names="López",
                                   registration_code="MSP-1")
    doctor.centres.add(centre)
    doctor.specialties.add(services["general_medicine"])
    start = (timezone.now() + timedelta(days=3)).replace(hour=9, minute=0, second=0,
                                                         microsecond=0)
    for i in range(12):
        Slot.objects.create(centre=centre, service=services["general_medicine"],
                            doctor=doctor, starts_at=start + timedelta(minutes=20 * i),
                            ends_at=start + timedelta(minutes=20 * (i + 1)), capacity=1)


def staff_sign_in(new_page, language: str, username: str):
    page = new_page(viewport=PHONE_390, language=language if language == "en" else None)
    page.goto("/staff/entrar/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    submit(page)
    return page


def visit_main_pages(new_page, make_affiliate, make_application, language: str,
                     measure_with: Callable[[object], Measure]) -> list[Measure]:
    """Visits every main page, calling a ``Measure`` on each; returns the measures."""
    from ventanilla.accounts.roles import Role
    from ventanilla.accounts.services import staff_create

    affiliate = make_affiliate(id_number="1705551230", email=LONG_EMAIL)
    make_affiliate(id_type="passport", id_number="AB123456", nationality="US",
                   residency_document="VR-2024-0099", given_names="John",
                   family_names="Smith", ends_on=date(2024, 12, 31), with_clave=False)
    application = make_application("EC", state="submitted", email=LONG_EMAIL)
    for username, role in (("rev", Role.REVIEWER), ("agente.ec", Role.AGENT),
                           ("operador.ec", Role.OPERATOR)):
        staff_create(username=username, password=PASSWORD, role=role,
                     country="" if role == Role.REVIEWER else "EC")
    medical_slots()
    cookie = language if language == "en" else None
    measures = []

    # the public site, and registration up to the task list (with a long e-mail address)
    page = new_page(viewport=PHONE_390, language=cookie)
    measure = measure_with(page)
    measures.append(measure)
    for path, label in (("/", "home"), ("/registro/", "registration start"),
                        ("/tramites/", "case lookup"), ("/consulta-sis/", "SIS status"),
                        ("/solicitud/continuar/", "resume an application"),
                        ("/portal/entrar/", "portal sign-in"),
                        ("/portal/visitas/identificarse/", "office visit, who are you"),
                        ("/staff/entrar/", "staff sign-in"), ("/no-such-page/", "not found")):
        page.goto(path)
        measure(label)
    page.goto("/registro/")
    page.check("input[name=country][value=EC]")
    submit(page)
    measure("registration e-mail")
    page.fill("input[name=email]", LONG_EMAIL)
    sent = outbox_size()
    submit(page)
    assert path_of(page) == "/solicitud/codigo/", page.url
    measure("registration code")
    page.fill("input[name=code]", wait_for_code(after=sent))
    submit(page)
    measure("task list")

    # the portal and the booking, as the affiliate
    page = new_page(viewport=PHONE_390, language=cookie)
    measure = measure_with(page)
    measures.append(measure)
    page.goto("/portal/entrar/")
    page.select_option("#id_document", "EC:cedula")
    page.fill("#id_id_number", affiliate.id_number)
    page.fill("#id_password", CLAVE)
    submit(page)
    assert path_of(page) == "/portal/", page.url
    measure("portal home")
    for path, label in (("/portal/citas/", "appointments"),
                        ("/portal/aportes/", "contributions"),
                        ("/portal/aportes/reportar-error/", "contribution error"),
                        ("/portal/dependientes/", "dependants"),
                        ("/portal/dependientes/nueva/", "new dependant"),
                        ("/portal/visitas/", "office visits"),
                        ("/portal/tramites/nuevo/", "in-person matter")):
        page.goto(path)
        measure(label)
    page.goto("/portal/citas/nueva/")
    measure("booking: contact details")
    page.fill("#id_mobile_phone", "0991234567")
    submit(page)
    assert path_of(page) == "/portal/citas/nueva/especialidad/", page.url
    measure("booking: specialty and place")
    page.check("input[name=specialty][value=general_medicine]")
    page.select_option("#id_province", "17")
    page.select_option("#id_city", "1701")
    submit(page, "main form[method=get] button[type=submit]")
    assert path_of(page) == "/portal/citas/nueva/fecha/", page.url
    measure("booking: date")
    submit(page, "#dates a")
    measure("booking: centre")
    submit(page, "main ul.govuk-list a")
    assert path_of(page) == "/portal/citas/nueva/hora/", page.url
    measure("booking: time")
    page.locator("input[name=time]").first.check()
    submit(page)
    assert path_of(page) == "/portal/citas/nueva/confirmar/", page.url
    measure("booking: check")
    submit(page)
    measure("booking: confirmation")
    submit(page, "main a.govuk-button--warning")
    measure("booking: cancel, are you sure")

    # the staff area: a reviewer, an agent, an operator
    page = staff_sign_in(new_page, language, "rev")
    measure = measure_with(page)
    measures.append(measure)
    measure("review queue")
    page.goto(f"/staff/solicitudes/{application.public_id}/")
    measure("application review")

    page = staff_sign_in(new_page, language, "agente.ec")
    measure = measure_with(page)
    measures.append(measure)
    measure("agent home")
    for path, label in (("/staff/mostrador/", "register at the counter"),
                        ("/staff/personas/", "find a person"),
                        (f"/staff/personas/{affiliate.public_id}/", "a person"),
                        ("/staff/residentes-sin-cobertura/", "residents without coverage"),
                        ("/staff/dependientes/", "dependant requests"),
                        ("/staff/visitas/", "office visits of the day")):
        page.goto(path)
        measure(label)

    page = staff_sign_in(new_page, language, "operador.ec")
    measure = measure_with(page)
    measures.append(measure)
    measure("call centre")
    page.goto(f"/staff/llamadas/{affiliate.public_id}/")
    measure("a caller")
    page.goto(f"/staff/llamadas/{affiliate.public_id}/cita/")
    measure("a caller's booking")
    return measures


@pytest.mark.parametrize("language", ["es", "en"])
def test_no_main_page_is_wider_than_a_phone(new_page, make_affiliate, make_application,
                                            language):
    measures = visit_main_pages(
        new_page, make_affiliate, make_application, language,
        lambda page: Measure(page, language, check_targets=False))
    too_wide = [line for m in measures for line in m.too_wide]
    assert sum(len(m.pages) for m in measures) >= 35
    assert not too_wide, "pages wider than the screen:\n" + "\n".join(too_wide)


@pytest.mark.parametrize("language", ["es", "en"])
def test_every_target_is_24_px_or_spaced(new_page, make_affiliate, make_application,
                                         language):
    measures = visit_main_pages(new_page, make_affiliate, make_application, language,
                                lambda page: Measure(page, language))
    small = [line for m in measures for line in m.small_targets]
    assert not small, "targets under 24 x 24 px without enough space:\n" + "\n".join(small)


def test_the_open_menu_has_big_enough_targets(new_page, make_affiliate, language="es"):
    """The collapsed menu, opened: its links and the sign-out button."""
    make_affiliate()
    page = new_page(viewport=PHONE_390)
    page.goto("/portal/entrar/")
    page.select_option("#id_document", "EC:cedula")
    page.fill("#id_id_number", "1710034065")
    page.fill("#id_password", CLAVE)
    submit(page)
    toggle = page.locator(".govuk-service-navigation__toggle")
    assert toggle.is_visible()
    assert not page.locator("#service-navigation").is_visible()
    toggle.click()
    assert page.locator("#service-navigation").is_visible()
    measure = Measure(page, language, widths=(390,))
    measure("portal home, menu open")
    assert not measure.small_targets, "\n".join(measure.small_targets)


def test_without_javascript_the_menu_shows_its_links(new_page, make_affiliate):
    """GOV.UK's pattern: the "Menu" button exists only with JavaScript; without it the links
    are shown (portal and staff)."""
    from ventanilla.accounts.roles import Role
    from ventanilla.accounts.services import staff_create

    make_affiliate()
    staff_create(username="rev", password=PASSWORD, role=Role.REVIEWER)
    page = new_page(viewport=PHONE_390, java_script_enabled=False)
    page.goto("/portal/entrar/")
    page.select_option("#id_document", "EC:cedula")
    page.fill("#id_id_number", "1710034065")
    page.fill("#id_password", CLAVE)
    submit(page)
    assert not page.locator(".govuk-service-navigation__toggle").is_visible()
    assert page.locator("#service-navigation a[href='/portal/citas/']").is_visible()

    page = new_page(viewport=PHONE_390, java_script_enabled=False)
    page.goto("/staff/entrar/")
    page.fill("input[name=username]", "rev")
    page.fill("input[name=password]", PASSWORD)
    submit(page)
    assert not page.locator(".govuk-service-navigation__toggle").is_visible()
    assert page.locator("#service-navigation a[href='/staff/cola/']").is_visible()


def test_the_time_step_shows_times_in_the_first_screen(new_page, make_affiliate):
    affiliate = make_affiliate()
    medical_slots()
    page = new_page(viewport=PHONE_390)
    page.goto("/portal/entrar/")
    page.select_option("#id_document", "EC:cedula")
    page.fill("#id_id_number", affiliate.id_number)
    page.fill("#id_password", CLAVE)
    submit(page)
    page.goto("/portal/citas/nueva/")
    page.fill("#id_mobile_phone", "0991234567")
    submit(page)
    page.check("input[name=specialty][value=general_medicine]")
    page.select_option("#id_province", "17")
    page.select_option("#id_city", "1701")
    submit(page, "main form[method=get] button[type=submit]")
    submit(page, "#dates a")
    submit(page, "main ul.govuk-list a")
    assert path_of(page) == "/portal/citas/nueva/hora/", page.url
    # the choices so far: one paragraph with its change link
    choices = page.locator("#choices")
    assert "Hospital del Sur" in choices.inner_text()
    assert choices.locator("a[href^='/portal/citas/nueva/especialidad/']").count() == 1
    first_time = page.locator("input[name=time]").first.locator("xpath=..")
    box = first_time.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= PHONE_390["height"], (
        f"the first time ends at {box['y'] + box['height']:.0f} px, below the first screen")
