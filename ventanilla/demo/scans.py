"""Scans of the demo's sick-leave certificates: a paper that looks like the one typed.

Each demo certificate gets a picture of its paper, drawn from what was typed (the
letterhead, the patient, the diagnosis with its ICD-10 code, the days off in numbers and in
words, the stamp with the registration code), so the validator's desk shows a real scan
beside the fields. The same drawing is written as a JPEG or PNG (a phone's photo or
screenshot, Pillow) or as a PDF (a scanner's, built by hand with the PDF standard Helvetica
font: no font file needed).
``flaws`` draws what a validator rejects: no letterhead, no stamp, a date amended by hand.

Both pass ``registration.uploads.upload_prepare`` like any upload.
"""

from __future__ import annotations

import io
import unicodedata
import zlib
from dataclasses import dataclass, field

from ventanilla.certificates.checks import CertificateIn

# A5 portrait in PDF points; the PNG is drawn at SCALE pixels a point.
WIDTH, HEIGHT = 420, 595
SCALE = 1.4
INK = (0.05, 0.05, 0.1)
BLUE = (0.1, 0.2, 0.6)
PEN = (0.15, 0.15, 0.7)      # the hand-written amendment
GREY = (0.45, 0.45, 0.5)

_UNITS = (
    "cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez",
    "once", "doce", "trece", "catorce", "quince", "dieciséis", "diecisiete", "dieciocho",
    "diecinueve", "veinte", "veintiuno", "veintidós", "veintitrés", "veinticuatro",
    "veinticinco", "veintiséis", "veintisiete", "veintiocho", "veintinueve")
_TENS = {3: "treinta", 4: "cuarenta", 5: "cincuenta", 6: "sesenta", 7: "setenta",
         8: "ochenta", 9: "noventa"}


def days_in_words(n: int) -> str:
    """R-CER-04: the days off in words, as an Ecuadorian certificate writes them (1–199)."""
    if n >= 100:
        return "cien" if n == 100 else f"ciento {days_in_words(n - 100)}"
    if n < 30:
        return _UNITS[n]
    tens, unit = divmod(n, 10)
    return _TENS[tens] if unit == 0 else f"{_TENS[tens]} y {_UNITS[unit]}"


@dataclass
class Drawing:
    """What is on the paper, in points from the top left."""

    items: list[tuple] = field(default_factory=list)

    def text(self, x: float, y: float, text: str, *, size: float = 9, bold: bool = False,
             colour=INK) -> None:
        self.items.append(("text", x, y, text, size, bold, colour))

    def line(self, x1: float, y1: float, x2: float, y2: float, *, colour=INK,
             width: float = 0.8) -> None:
        self.items.append(("line", x1, y1, x2, y2, colour, width))

    def circle(self, x: float, y: float, r: float, *, colour=BLUE, width: float = 1.2) -> None:
        self.items.append(("circle", x, y, r, colour, width))


def _day(typed: str, *, later: int = 0) -> str:
    """A typed date as the paper prints it ("7 de diciembre de 2026"); ``later``: that many
    days after it (the last day extended by hand over the typed one)."""
    from datetime import timedelta

    from django.utils import translation

    from ventanilla.certificates.rules import DateUnreadable, parse_day
    from ventanilla.core.dates import day_text

    try:
        day = parse_day(typed) + timedelta(days=later)
    except DateUnreadable:
        return typed
    with translation.override("es"):
        return day_text(day)


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


TITLES = {"hospitalisation": "CERTIFICADO MÉDICO DE HOSPITALIZACIÓN",
          "maternity": "CERTIFICADO MÉDICO DE MATERNIDAD"}
SEXES = {"female": "femenino", "male": "masculino", "undetermined": "indeterminado"}


def paper(c: CertificateIn, *, id_label: str, flaws: frozenset[str] = frozenset()) -> Drawing:
    """The drawing of a certificate as typed (see the module docstring)."""
    d = Drawing()
    y = 40.0
    if "no_letterhead" not in flaws:
        d.text(36, y, c.establishment.upper(), size=13, bold=True, colour=BLUE)
        d.text(36, y + 16, f"{c.doctor_name} · {c.doctor_specialty}", size=9.5)
        d.text(36, y + 29, f"{c.establishment_address} · Telf. {c.establishment_phone}",
               size=8, colour=GREY)
        d.text(36, y + 40, c.doctor_email, size=8, colour=GREY)
        d.line(36, y + 48, WIDTH - 36, y + 48, colour=BLUE, width=1.5)
    y += 78
    d.text(36, y, TITLES.get(c.kind, "CERTIFICADO MÉDICO"), size=12, bold=True)
    y += 28
    days = int(c.rest_days or 0)
    body = (f"Certifico que {c.patient_names}, con {id_label} N.º {c.patient_id_number}, "
            f"fue atendido/a en esta fecha y presenta: {c.diagnosis} (CIE-10 "
            f"{c.icd10_code.upper()}).")
    for line in _wrap(body, 70):
        d.text(36, y, line, size=9.5)
        y += 14
    y += 8
    column = 150
    rows = [("Días de reposo:", f"{days} ({days_in_words(days)})"),
            ("Desde:", _day(c.rest_start)), ("Hasta:", _day(c.rest_end))]
    for label, value in rows:
        d.text(36, y, label, size=9.5, bold=True)
        d.text(column, y, value, size=9.5, bold=True)
        y += 14
    if "amended" in flaws:
        # the last day crossed out and another written under it by hand
        width = len(_day(c.rest_end)) * 9.5 * 0.55
        d.line(column - 2, y - 17, column + width, y - 20, colour=PEN, width=1.4)
        d.text(column + 12, y - 1, _day(c.rest_end, later=2), size=10.5, colour=PEN)
        y += 14
    y += 8
    extra = []
    if c.kind == "hospitalisation":
        extra = [f"Fecha de ingreso: {_day(c.admitted_on)}",
                 f"Fecha de alta: {_day(c.discharged_on)}",
                 f"Procedimiento realizado: {c.procedure}"]
    elif c.kind == "maternity":
        live = "sí" if c.live_birth == "yes" else "no"
        extra = [f"Fecha del parto: {_day(c.delivered_on)}", f"Nacido vivo: {live}",
                 f"Semanas de gestación: {c.pregnancy_weeks}",
                 f"Sexo del recién nacido: {SEXES.get(c.baby_sex, c.baby_sex)}"]
    for line in extra:
        for part in _wrap(line, 70):
            d.text(36, y, part, size=9.5)
            y += 14
    y += 18
    d.text(36, y, f"{c.issued_place}, {_day(c.issued_on)}", size=9.5)
    sign_y = min(y + 110, HEIGHT - 60)
    d.line(60, sign_y, 200, sign_y)
    d.text(60, sign_y + 12, c.doctor_name, size=8.5)
    d.text(60, sign_y + 23, f"Reg. {c.doctor_registration}", size=8, colour=GREY)
    if "no_stamp" not in flaws:
        cx, cy = 310, sign_y - 10
        d.circle(cx, cy, 48)
        d.circle(cx, cy, 42, width=0.6)
        for dy, text, size, bold in ((-8, c.doctor_name[:22], 6, True),
                                     (3, c.doctor_specialty[:26], 6, False),
                                     (14, c.doctor_registration, 6.5, True)):
            # centred by the average width of a Helvetica letter
            d.text(cx - len(text) * size * 0.26, cy + dy, text, size=size, bold=bold,
                   colour=BLUE)
    return d


# --- PNG (Pillow) ----------------------------------------------------------------------------

def _fonts():
    """DejaVu when the system has it; else Pillow's own font, which lacks accents (the
    text is then folded to ASCII, still legible)."""
    from PIL import ImageFont

    cache = _fonts.__dict__.setdefault("cache", {})

    def font(size: float, bold: bool):
        key = (round(size * SCALE), bold)
        if key not in cache:
            try:
                name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
                cache[key] = (ImageFont.truetype(name, key[0]), False)
            except OSError:
                cache[key] = (ImageFont.load_default(size=key[0]), True)
        return cache[key]

    return font


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.replace("º", "o").replace("·", "-"))
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def _rgb(colour) -> tuple[int, int, int]:
    r, g, b = colour
    return round(r * 255), round(g * 255), round(b * 255)


def _image(drawing: Drawing):
    from PIL import Image, ImageDraw

    font = _fonts()
    img = Image.new("RGB", (round(WIDTH * SCALE), round(HEIGHT * SCALE)), (250, 249, 244))
    draw = ImageDraw.Draw(img)
    for item in drawing.items:
        if item[0] == "text":
            _k, x, y, text, size, bold, colour = item
            face, ascii_only = font(size, bold)
            draw.text((x * SCALE, (y - size) * SCALE), _fold(text) if ascii_only else text,
                      font=face, fill=_rgb(colour))
        elif item[0] == "line":
            _k, x1, y1, x2, y2, colour, width = item
            draw.line((x1 * SCALE, y1 * SCALE, x2 * SCALE, y2 * SCALE), fill=_rgb(colour),
                      width=max(1, round(width * SCALE)))
        else:
            _k, x, y, r, colour, width = item
            draw.ellipse(((x - r) * SCALE, (y - r) * SCALE, (x + r) * SCALE, (y + r) * SCALE),
                         outline=_rgb(colour), width=max(1, round(width * SCALE)))
    return img


def png(drawing: Drawing) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    _image(drawing).quantize(colors=16, method=Image.Quantize.FASTOCTREE).save(
        out, "PNG", compress_level=1)
    return out.getvalue()


def jpeg(drawing: Drawing) -> bytes:
    """A phone's photo of the paper (the quickest to store: the demo loads at every fresh
    start)."""
    out = io.BytesIO()
    _image(drawing).save(out, "JPEG", quality=80)
    return out.getvalue()


# --- PDF (by hand: the standard Helvetica, WinAnsi encoding) -----------------------------------

def _pdf_text(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _colour(colour, op: str) -> bytes:
    r, g, b = colour
    return f"{r:.3f} {g:.3f} {b:.3f} {op}".encode()


def pdf(drawing: Drawing) -> bytes:
    ops: list[bytes] = []
    k = 0.5523  # a quarter circle as a Bézier curve
    for item in drawing.items:
        if item[0] == "text":
            _k, x, y, text, size, bold, colour = item
            ops += [b"BT", _colour(colour, "rg"),
                    f"/{'F2' if bold else 'F1'} {size:.1f} Tf {x:.1f} {HEIGHT - y:.1f} Td"
                    .encode(), b"(" + _pdf_text(text) + b") Tj", b"ET"]
        elif item[0] == "line":
            _k, x1, y1, x2, y2, colour, width = item
            ops += [_colour(colour, "RG"), f"{width:.1f} w {x1:.1f} {HEIGHT - y1:.1f} m "
                    f"{x2:.1f} {HEIGHT - y2:.1f} l S".encode()]
        else:
            _k, x, y, r, colour, width = item
            cy = HEIGHT - y
            c = r * k
            ops += [_colour(colour, "RG"), (
                f"{width:.1f} w {x + r:.1f} {cy:.1f} m "
                f"{x + r:.1f} {cy + c:.1f} {x + c:.1f} {cy + r:.1f} {x:.1f} {cy + r:.1f} c "
                f"{x - c:.1f} {cy + r:.1f} {x - r:.1f} {cy + c:.1f} {x - r:.1f} {cy:.1f} c "
                f"{x - r:.1f} {cy - c:.1f} {x - c:.1f} {cy - r:.1f} {x:.1f} {cy - r:.1f} c "
                f"{x + c:.1f} {cy - r:.1f} {x + r:.1f} {cy - c:.1f} {x + r:.1f} {cy:.1f} c S"
            ).encode()]
    stream = zlib.compress(b"\n".join(ops))
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        (f"<</Type/Page/Parent 2 0 R/MediaBox[0 0 {WIDTH} {HEIGHT}]/Contents 4 0 R"
         "/Resources<</Font<</F1 5 0 R/F2 6 0 R>>>>>>").encode(),
        f"<</Length {len(stream)}/Filter/FlateDecode>>stream\n".encode() + stream
        + b"\nendstream",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica-Bold/Encoding/WinAnsiEncoding>>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (f"trailer\n<</Size {len(objects) + 1}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n"
            .encode())
    return bytes(out)
