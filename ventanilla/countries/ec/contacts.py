"""IESS contact channels (R-HLP-01) and where Seguro Social Campesino members get care
(R-APT-01).

Sources: seed 004 (IESS medical appointments guide: call centre 1800-100-000, 140 and 161,
WhatsApp 0967300000 for General Medicine and Dentistry, "not enabled for peasant
insurance"), seed 002 (IESS for expats: call centre 131, www.iess.gob.ec, off-peak hours,
"no hay sistema"). The seeds carry no date; their ``Source.on`` is the day they were read
for this pack. The Seguro Social Campesino's dispensaries: IESS press room (URL below),
read on the same day.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from ..contacts import CareElsewhere, CareReason, ChannelKind, ContactChannel, Purpose, Source

READ_ON = date(2026, 12, 7)
SEED_002 = Source("Seed 002: How to navigate Ecuador's IESS system as an expat", READ_ON)
SEED_004 = Source("Seed 004: Get your medical appointment at the IESS in Ecuador", READ_ON)
IESS_SSC_DISPENSARIES = Source(
    "IESS, sala de prensa: Seguro Social Campesino conmemora aniversario con sexto "
    "encuentro intercultural (658 dispensarios médicos del SSC a nivel nacional; "
    "prestaciones médicas en el primer nivel)", READ_ON,
    url="http://www.iess.gob.ec/es/sala-de-prensa?p_p_id=101_INSTANCE_4DHq"
        "&p_p_lifecycle=0&_101_INSTANCE_4DHq_struts_action=%2Fasset_publisher"
        "%2Fview_content&_101_INSTANCE_4DHq_assetEntryId=2909064"
        "&_101_INSTANCE_4DHq_type=content&_101_INSTANCE_4DHq_groupId=10174"
        "&_101_INSTANCE_4DHq_urlTitle=seguro-social-campesino-conmemora-aniversario-con-"
        "sexto-encuentro-intercultural")

BY_PHONE_DAYS = _("Have your identity document at hand. Appointments by phone fall on days "
                  "that depend on its last digit: 0, 2, 4, 6 or 8 on Tuesday, Thursday and "
                  "Saturday; 1, 3, 5, 7 or 9 on Monday, Wednesday and Friday.")

CALL_CENTRE_140 = ContactChannel(
    ChannelKind.PHONE, "140", "140", (Purpose.APPOINTMENTS, Purpose.GENERAL), SEED_004,
    institution="IESS", instructions=BY_PHONE_DAYS, main=True)
CALL_CENTRE_1800 = ContactChannel(
    ChannelKind.PHONE, "+5931800100000", "1800-100-000", (Purpose.APPOINTMENTS,), SEED_004,
    institution="IESS")
CALL_CENTRE_161 = ContactChannel(
    ChannelKind.PHONE, "161", "161", (Purpose.APPOINTMENTS,), SEED_004, institution="IESS")
WHATSAPP = ContactChannel(
    ChannelKind.WHATSAPP, "+593967300000", "096 730 0000", (Purpose.APPOINTMENTS,), SEED_004,
    institution="IESS",
    instructions=_("Only General Medicine and Dentistry. Write your full name, then your "
                   "identity number, then the specialty in capital letters."))
INFORMATION_131 = ContactChannel(
    ChannelKind.PHONE, "131", "131", (Purpose.GENERAL,), SEED_002, institution="IESS",
    instructions=_("The line is often busy: call between 10 and 11 a.m. or between 3 and "
                   "4 p.m., not on a Monday or the day after a holiday."))
WEB_PORTAL = ContactChannel(
    ChannelKind.WEB, "https://www.iess.gob.ec/", "www.iess.gob.ec", (Purpose.GENERAL,),
    SEED_002, institution="IESS")

CONTACTS = (CALL_CENTRE_140, CALL_CENTRE_1800, CALL_CENTRE_161, WHATSAPP, INFORMATION_131,
            WEB_PORTAL)

CARE_OPTIONS = (
    # R-APT-01 (seed 004): the appointment service "is not enabled for peasant insurance";
    # the IESS says where its members are seen instead.
    CareElsewhere(
        CareReason.PEASANT_INSURANCE,
        explanation=_("Members of the Seguro Social Campesino (peasant insurance) cannot book "
                      "through this appointment service. They are seen at the dispensaries "
                      "of the Seguro Social Campesino, which give first-level care."),
        place=_("A dispensary of the Seguro Social Campesino (dispensario del SSC)"),
        source=IESS_SSC_DISPENSARIES,
        channels=(CALL_CENTRE_140, INFORMATION_131)),
    # R-APT-14 (seed 002): the call centre answers questions about affiliation and
    # contributions; the fixing is done in person.
    CareElsewhere(
        CareReason.NOT_COVERED,
        explanation=_("Your health coverage is not active for this date. Ask the IESS about "
                      "your affiliation and contributions; errors are corrected in person at "
                      "an IESS service centre."),
        place=_("An IESS service centre (Centro de Atención Universal)"),
        source=SEED_002,
        channels=(INFORMATION_131, CALL_CENTRE_140)),
)
