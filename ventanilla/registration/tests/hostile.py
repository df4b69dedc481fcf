"""Crafted files for the upload tests: images whose header promises more pixels than any
document needs, and PDFs carrying each kind of active content, built for real (the PNG
chunks by hand, the PDFs with pikepdf), never mocked."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable

import pikepdf
from pikepdf import Array, Dictionary, Name, String

# --- images ---------------------------------------------------------------------------------

def _chunk(kind: bytes, body: bytes) -> bytes:
    return (struct.pack(">I", len(body)) + kind + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))


def huge_png(width: int, height: int) -> bytes:
    """A valid, all-black, 1-bit PNG of ``width`` x ``height``: a few hundred KB on disk
    (the 20000 x 20000 one is 49 KB) that would need ``width * height`` bytes to decode."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)  # filter byte + packed pixels
    z = zlib.compressobj(9)
    rows_per_step = max(1, (1 << 22) // len(row))
    parts = []
    for start in range(0, height, rows_per_step):
        parts.append(z.compress(row * min(rows_per_step, height - start)))
    parts.append(z.flush())
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", b"".join(parts))
            + _chunk(b"IEND", b""))


def image(fmt: str, size: tuple[int, int], mode: str = "RGB") -> bytes:
    import pillow_heif
    from PIL import Image

    pillow_heif.register_heif_opener()
    buf = io.BytesIO()
    Image.new(mode, size, 90).save(buf, fmt)
    return buf.getvalue()


# --- PDFs -----------------------------------------------------------------------------------

PAGE_TEXT = b"BT /F1 12 Tf 20 60 Td (Documento) Tj ET"


def base_pdf() -> pikepdf.Pdf:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 120))
    pdf.pages[0].obj.Contents = pdf.make_stream(PAGE_TEXT)
    return pdf


def pdf_bytes(pdf: pikepdf.Pdf, **save) -> bytes:
    out = io.BytesIO()
    pdf.save(out, **save)
    return out.getvalue()


def _js(pdf: pikepdf.Pdf, code: str = "app.alert('x')") -> pikepdf.Object:
    return pdf.make_indirect(Dictionary(Type=Name.Action, S=Name.JavaScript, JS=String(code)))


def _annot(pdf: pikepdf.Pdf, **entries) -> pikepdf.Object:
    annot = pdf.make_indirect(Dictionary(Type=Name.Annot, Rect=Array([0, 0, 50, 20]),
                                         **entries))
    page = pdf.pages[0].obj
    page.Annots = Array([*page.get("/Annots", Array()), annot])
    return annot


def _acroform(pdf: pikepdf.Pdf) -> pikepdf.Object:
    if "/AcroForm" not in pdf.Root:
        pdf.Root.AcroForm = Dictionary(Fields=Array())
    return pdf.Root.AcroForm


def add_named_javascript(pdf: pikepdf.Pdf) -> str:
    pdf.Root.Names = Dictionary(JavaScript=Dictionary(Names=Array([String("go"), _js(pdf)])))
    return "javascript"


def add_open_action_javascript(pdf: pikepdf.Pdf) -> str:
    pdf.Root.OpenAction = _js(pdf)
    return "javascript"


def add_chained_javascript(pdf: pikepdf.Pdf) -> str:
    # A harmless "go to page 1" whose /Next runs a script: the GoTo may stay, the script not.
    pdf.Root.OpenAction = Dictionary(S=Name.GoTo, D=Array([pdf.pages[0].obj, Name.Fit]),
                                     Next=_js(pdf))
    return "javascript"


def add_page_aa_launch(pdf: pikepdf.Pdf) -> str:
    pdf.pages[0].obj.AA = Dictionary(O=Dictionary(S=Name.Launch, F=String("cmd.exe"),
                                                  Win=Dictionary(F=String("cmd.exe"))))
    return "launch"


def add_catalog_aa_javascript(pdf: pikepdf.Pdf) -> str:
    pdf.Root.AA = Dictionary(WC=_js(pdf))
    return "javascript"


def add_link_launch(pdf: pikepdf.Pdf) -> str:
    _annot(pdf, Subtype=Name.Link, A=Dictionary(S=Name.Launch, F=String("/bin/sh")))
    return "launch"


def add_link_javascript_uri(pdf: pikepdf.Pdf) -> str:
    _annot(pdf, Subtype=Name.Link, A=Dictionary(S=Name.URI, URI=String("javascript:alert(1)")))
    return "external_links"


def add_embedded_file(pdf: pikepdf.Pdf) -> str:
    pdf.attachments["factura.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00payload")
    return "embedded_files"


def add_file_attachment_annotation(pdf: pikepdf.Pdf) -> str:
    spec = pikepdf.AttachedFileSpec(pdf, b"<script>alert(1)</script>", filename="a.html")
    _annot(pdf, Subtype=Name.FileAttachment, FS=spec.obj)
    return "embedded_files"


def add_rich_media(pdf: pikepdf.Pdf) -> str:
    asset = pikepdf.AttachedFileSpec(pdf, b"FWS\x09flash", filename="movie.swf")
    content = Dictionary(Assets=Dictionary(Names=Array([String("movie.swf"), asset.obj])))
    _annot(pdf, Subtype=Name.RichMedia, RichMediaContent=content)
    return "multimedia"


def add_xfa_form(pdf: pikepdf.Pdf) -> str:
    xfa = pdf.make_stream(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'><script>"
                          b"xfa.host.messageBox('x')</script></xdp:xdp>")
    _acroform(pdf).XFA = xfa
    return "xfa"


def add_field_javascript(pdf: pikepdf.Pdf) -> str:
    widget = _annot(pdf, Subtype=Name.Widget, FT=Name.Tx, T=String("nombre"),
                    AA=Dictionary(K=_js(pdf), F=_js(pdf)))
    form = _acroform(pdf)
    form.Fields = Array([*form.Fields, widget])
    return "javascript"


def add_outline_javascript(pdf: pikepdf.Pdf) -> str:
    outlines = pdf.make_indirect(Dictionary(Type=Name.Outlines))
    item = pdf.make_indirect(Dictionary(Title=String("Inicio"), Parent=outlines, A=_js(pdf)))
    outlines.First = item
    outlines.Last = item
    outlines.Count = 1
    pdf.Root.Outlines = outlines
    return "javascript"


# Each builder adds one kind of active content to a PDF and returns the category that
# ``pdf_clean.hazards`` reports for it.
REMOVABLE: dict[str, Callable[[pikepdf.Pdf], str]] = {
    "named-javascript": add_named_javascript,
    "open-action-javascript": add_open_action_javascript,
    "chained-javascript": add_chained_javascript,
    "page-aa-launch": add_page_aa_launch,
    "catalog-aa-javascript": add_catalog_aa_javascript,
    "link-launch": add_link_launch,
    "link-javascript-uri": add_link_javascript_uri,
    "embedded-file": add_embedded_file,
    "file-attachment-annotation": add_file_attachment_annotation,
    "rich-media": add_rich_media,
    "xfa-form": add_xfa_form,
    "field-javascript": add_field_javascript,
    "outline-javascript": add_outline_javascript,
}


def hostile_pdf(*kinds: str) -> bytes:
    pdf = base_pdf()
    for kind in kinds:
        REMOVABLE[kind](pdf)
    return pdf_bytes(pdf)


def javascript_in_an_unknown_slot() -> bytes:
    """A script action hung where no viewer looks and no sanitizer walks: refused, since
    what cannot be placed cannot be cleaned."""
    pdf = base_pdf()
    pdf.Root.Extra = Dictionary(Hook=_js(pdf))
    return pdf_bytes(pdf)


def html_polyglot() -> bytes:
    """A valid PDF whose first bytes are also an HTML page with a script."""
    body = pdf_bytes(base_pdf())
    assert body.startswith(b"%PDF-1.")
    header, rest = body.split(b"\n", 1)
    return header + b"\n%<html><body><script>alert(document.cookie)</script></body></html>\n" + rest


def html_before_header() -> bytes:
    return b"<html><script>alert(1)</script></html>\n" + pdf_bytes(base_pdf())


def encrypted_pdf(*, user_password: str = "clave") -> bytes:
    return pdf_bytes(base_pdf(), encryption=pikepdf.Encryption(owner="dueño",
                                                                user=user_password))


def broken_pdf() -> bytes:
    return b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"


def object_stream_bomb(inflated: int) -> bytes:
    """A small PDF whose compressed object stream holds a string of ``inflated`` bytes:
    qpdf inflates it whole to read the object (about 1 KB on disk per MB inflated)."""
    z = zlib.compressobj(9)
    parts = [z.compress(b"5 0 (")]
    chunk = b"A" * (1 << 20)
    for _ in range(inflated >> 20):
        parts.append(z.compress(chunk))
    parts.append(z.compress(b")"))
    parts.append(z.flush())
    objstm = b"".join(parts)
    out = bytearray(b"%PDF-1.5\n")
    offsets = {}

    def obj(num: int, body: bytes) -> None:
        offsets[num] = len(out)
        out.extend(b"%d 0 obj\n" % num + body + b"\nendobj\n")

    obj(1, b"<</Type/Catalog/Pages 2 0 R>>")
    obj(2, b"<</Type/Pages/Kids[3 0 R]/Count 1>>")
    obj(3, b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 120]/Junk 5 0 R>>")
    obj(4, b"<</Type/ObjStm/N 1/First 4/Filter/FlateDecode/Length %d>>\nstream\n"
        % len(objstm) + objstm + b"\nendstream")
    offsets[6] = len(out)
    rows = [b"\x00\x00\x00\x00\x00\xff\xff"]
    rows += [b"\x01" + struct.pack(">I", offsets[n]) + b"\x00\x00" for n in (1, 2, 3, 4)]
    rows.append(b"\x02" + struct.pack(">I", 4) + b"\x00\x00")
    rows.append(b"\x01" + struct.pack(">I", offsets[6]) + b"\x00\x00")
    xref = b"".join(rows)
    out.extend(b"6 0 obj\n<</Type/XRef/Size 7/W[1 4 2]/Root 1 0 R/Length %d>>\nstream\n"
               % len(xref) + xref + b"\nendstream\nendobj\n")
    out.extend(b"startxref\n%d\n%%%%EOF\n" % offsets[6])
    return bytes(out)
