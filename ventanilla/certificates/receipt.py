"""The receipt of a validated certificate: a PDF with a QR code leading to the employer's
check (R-CER-05). It names the dates and the days, never the diagnosis."""

from __future__ import annotations

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode

from ventanilla.countries.registry import get_pack


def verify_url(cert) -> str:
    """The employer's page, with the reference filled in (never the ID number)."""
    return (settings.SITE_URL + reverse("web:certificate_verify") + "?"
            + urlencode({"reference": cert.case.reference}))


def receipt_qr_svg(cert) -> str:
    return segno.make(verify_url(cert), error="m").svg_inline(scale=3, border=2,
                                                              dark="#0b0c0c")


def receipt_pdf(cert) -> bytes:
    from weasyprint import HTML

    html = render_to_string("certificates/receipt.html", {
        "cert": cert, "pack": get_pack(cert.country), "qr_svg": receipt_qr_svg(cert),
        "verify_url": verify_url(cert),
    })
    return HTML(string=html, base_url=settings.SITE_URL).write_pdf(pdf_variant="pdf/ua-1")
