"""Cleaning of free text typed by people before it is stored."""

from __future__ import annotations

import unicodedata


def clean_text(value: str | None, *, max_length: int | None = None,
               multiline: bool = False) -> str:
    """Drop control characters (NUL breaks PostgreSQL text), fold white space, normalise to
    NFC so that "é" typed two ways compares equal."""
    text = unicodedata.normalize("NFC", value or "")
    keep = "\n" if multiline else ""
    text = "".join(ch for ch in text if ch in keep or unicodedata.category(ch)[0] != "C")
    if multiline:
        text = "\n".join(" ".join(line.split()) for line in text.strip().splitlines())
    else:
        text = " ".join(text.split())
    return text[:max_length] if max_length else text
