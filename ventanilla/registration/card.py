"""The registration card: a PDF with a QR code that encodes the verification link."""

from __future__ import annotations

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from ventanilla.countries.registry import get_pack


def verification_url(person) -> str:
    return settings.SITE_URL + reverse("registration:verify", args=[person.verification_code])


def card_qr_svg(person) -> str:
    qr = segno.make(verification_url(person), error="m")
    return qr.svg_inline(scale=3, border=2, dark="#0b0c0c")


def card_pdf(person) -> bytes:
    from weasyprint import HTML

    pack = get_pack(person.country)
    html = render_to_string("registration/card.html", {
        "person": person,
        "pack": pack,
        "id_type": pack.id_type(person.id_type).label,
        "place": ", ".join(s.name for s in reversed(pack.geography.path(
            person.subdivision_code))),
        "qr_svg": card_qr_svg(person),
        "verify_url": verification_url(person),
    })
    return HTML(string=html, base_url=settings.SITE_URL).write_pdf(pdf_variant="pdf/ua-1")
