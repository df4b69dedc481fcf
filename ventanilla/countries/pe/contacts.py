"""EsSalud and SIS contact channels (R-HLP-01) and where a person without EsSalud cover
turns (R-APT-14).

Sources are EsSalud's notices as the press printed them (2024–2026) and the SIS's own
pages; each channel names its own below. A page without a date carries the day it was read
for this pack.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from ..contacts import CareElsewhere, CareReason, ChannelKind, ContactChannel, Purpose, Source

READ_ON = date(2026, 12, 7)
ESSALUD_OPTION_1 = Source(
    "El Comercio: EsSalud notice, reschedule appointments at EsSalud en Línea, 411-8000, "
    "option 1 (Citas)", date(2026, 1, 13),
    url="https://elcomercio.pe/lima/paro-de-transportistas-essalud-permitira-reprogramar-"
        "citas-medicas-en-lima-y-callao-ultimas-noticia/")
ESSALUD_OPTION_1_LIMA = Source(
    "Diario Correo: EsSalud notice, (01) 411-8000, option 1 – Citas", date(2025, 11, 4),
    url="https://diariocorreo.pe/edicion/lima/essalud-permitira-reprogramar-citas-medicas-"
        "por-paro-de-transportistas-en-lima-y-callao-noticia/")
ESSALUD_24_HOURS = Source(
    "La República: EsSalud, 411 8000 available 24 hours, 365 days a year", date(2022, 2, 21),
    url="https://larepublica.pe/sociedad/2022/02/21/essalud-como-sacar-cita-via-telefono-y-"
        "cada-cuanto-tiempo-te-programan-covid-en-peru")
ESSALUD_LINE_107 = Source(
    "La República: EsSalud notice, EsSalud en Línea (411-8000) and Línea 107 take "
    "appointments and queries", date(2024, 5, 25),
    url="https://larepublica.pe/sociedad/2024/05/25/essalud-interrumpira-servicio-de-central-"
        "telefonica-para-citas-y-consultas-fecha-y-rango-de-horario-minsa-atencion-"
        "telefonica-linea-107-566025")
SIS_JOIN = Source(
    "SIS, preguntas frecuentes: to join the SIS Gratuito, go to the health centre nearest "
    "your home with your DNI", READ_ON,
    url="http://www.sis.gob.pe/Portal/paginas/preguntas.html")
SIS_CHANNELS = Source(
    "El Regional Piura: SIS channels, 24 hours: WhatsApp 941986682, free line 113 "
    "option 4", READ_ON,
    url="https://elregionalpiura.com.pe/index.php/miscelaneas/191-salud/64173-seguro-integral-"
        "de-salud-brinda-atencion-a-sus-asegurados-a-traves-de-canales-virtuales-y-"
        "presenciales-en-todo-el-pais")

ESSALUD_EN_LINEA = ContactChannel(
    ChannelKind.PHONE, "+5114118000", "(01) 411-8000", (Purpose.APPOINTMENTS, Purpose.GENERAL),
    ESSALUD_OPTION_1, institution="EsSalud", name="EsSalud en Línea",
    hours=_("24 hours, every day"), instructions=_("Option 1: appointments."), main=True,
    more_sources=(ESSALUD_OPTION_1_LIMA, ESSALUD_24_HOURS))
LINE_107 = ContactChannel(
    ChannelKind.PHONE, "107", "107", (Purpose.APPOINTMENTS, Purpose.GENERAL), ESSALUD_LINE_107,
    institution="EsSalud", name="Línea 107")
SIS_113 = ContactChannel(
    ChannelKind.PHONE, "113", "113", (Purpose.COVERAGE,), SIS_CHANNELS, institution="SIS",
    hours=_("24 hours, every day"), instructions=_("Free call. Option 4: the SIS."))
SIS_WHATSAPP = ContactChannel(
    ChannelKind.WHATSAPP, "+51941986682", "941 986 682", (Purpose.COVERAGE,), SIS_CHANNELS,
    institution="SIS", hours=_("24 hours, every day"))

CONTACTS = (ESSALUD_EN_LINEA, LINE_107, SIS_113, SIS_WHATSAPP)

CARE_OPTIONS = (
    CareElsewhere(
        CareReason.NOT_COVERED,
        explanation=_("Your health coverage is not active for this date. Ask EsSalud about "
                      "your cover. If you have no health insurance, you may be able to join "
                      "the SIS (Seguro Integral de Salud) at the health centre nearest your "
                      "home: take your DNI."),
        place=_("The health centre nearest your home, for the SIS"),
        source=SIS_JOIN,
        channels=(ESSALUD_EN_LINEA, LINE_107, SIS_113, SIS_WHATSAPP)),
)
