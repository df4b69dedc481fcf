"""The text of a PDF, read with pikepdf (in the lockfile; no text-extraction library is):
each font's ToUnicode map turns the shown glyph codes back into characters. Enough for the
PDFs weasyprint writes (two-byte glyph codes, one line per text object)."""

from __future__ import annotations

import io
import re

import pikepdf

_HEX = r"<([0-9A-Fa-f]+)>"


def _unicode_map(font) -> dict[int, str]:
    to_unicode = font.get("/ToUnicode")
    if to_unicode is None:
        return {}
    cmap = to_unicode.read_bytes().decode("latin-1")
    out: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for src, dst in re.findall(rf"{_HEX}\s*{_HEX}", block):
            out[int(src, 16)] = bytes.fromhex(dst).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for low, high, dst in re.findall(rf"{_HEX}\s*{_HEX}\s*{_HEX}", block):
            first = int(dst, 16)
            for i, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                out[code] = chr(first + i)
    return out


def pdf_text(data: bytes) -> str:
    parts: list[str] = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            fonts = page.Resources.get("/Font", {})
            maps = {str(name): _unicode_map(font) for name, font in fonts.items()}
            current: dict[int, str] = {}
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op == "Tf":
                    current = maps.get(str(operands[0]), {})
                elif op in ("Tj", "TJ"):
                    for item in operands[0] if op == "TJ" else [operands[0]]:
                        if isinstance(item, pikepdf.String):
                            raw = bytes(item)
                            parts.append("".join(
                                current.get(int.from_bytes(raw[i:i + 2], "big"), "")
                                for i in range(0, len(raw), 2)))
                        elif float(item) < -200:   # a gap wide enough to be a space
                            parts.append(" ")
                elif op == "ET":
                    parts.append("\n")
    return "".join(parts)
