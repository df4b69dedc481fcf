"""Rewrite an uploaded PDF without its active content, in a child process with hard limits.

Run as ``python -I pdf_clean.py MAX_MEMORY_BYTES CPU_SECONDS``: the upload on stdin, the clean
PDF on stdout, a JSON line on stderr, the outcome in the exit code. ``registration.uploads``
starts it for every PDF; tests call :func:`clean` in-process.

Why a child process: qpdf (under pikepdf) holds every object it parses in memory, and a
300 KB file whose compressed object stream inflates to 300 MB took 1.6 GB and 10 s to
rewrite. No qpdf setting bounds the total, so the operating system does (``RLIMIT_AS``,
``RLIMIT_CPU``); a child that runs out is killed and the upload refused, and the web
process never holds more than the upload itself. This module imports only the standard
library and pikepdf (no Django), so it starts in about 0.2 s.

What is removed (pikepdf.sanitize, maintained upstream, plus what it leaves on purpose):
JavaScript (the document name tree and every action), actions that launch programs or reach
the network or other files (Launch, URI, GoToR, GoToE, SubmitForm, ImportData), embedded
files and file attachment annotations' files, multimedia and rich media (RichMedia, 3D,
Movie, Sound, Rendition), the portfolio view, XFA forms. The rewritten file is parsed again
and must show none of them (:func:`hazards`), nor HTML markup in its first bytes.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import sys
from collections.abc import Iterable
from typing import Any

EXIT_OK = 0
EXIT_ENCRYPTED = 3  # a password is needed to open it
EXIT_DAMAGED = 4  # not a PDF qpdf can read, even with repair
EXIT_ACTIVE = 5  # HTML markup, or active content that could not be removed
EXIT_FAILED = 6  # anything else went wrong while checking it

# Where browsers and other content sniffers look for markup (WHATWG MIME Sniffing reads 1445
# bytes; legacy sniffers and PDF readers' header search, 1024).
SNIFF_WINDOW = 1445
# Tags of the WHATWG "HTML" sniffing patterns and others that run scripts or load content,
# each followed by a tag-terminating byte. Every name has a letter outside a-f, so PDF hex
# strings (``<a1f0>``) never match and only markup does.
_HTML_MARKUP = re.compile(
    rb"<(?:!doctype\s+html|!--|(?:html|head|body|script|iframe|frame|frameset|object|embed|"
    rb"applet|svg|math|style|title|table|font|div|meta|link|base|form|img)[\s/>])",
    re.IGNORECASE,
)

# Action subtypes (/S) that run code, start programs, reach the network or other files, or
# play media. Each maps to the category reported back.
_ACTIVE_ACTIONS = {
    "/JavaScript": "javascript",
    "/Launch": "launch",
    "/URI": "external_links",
    "/GoToR": "external_links",
    "/SubmitForm": "external_links",
    "/ImportData": "external_links",
    "/GoToE": "embedded_files",
    "/Rendition": "multimedia",
    "/Movie": "multimedia",
    "/Sound": "multimedia",
    "/RichMediaExecute": "multimedia",
}
# Keys that carry active content wherever they appear: script text, embedded file streams,
# rich media, XFA (an XML form that can hold scripts), and the document name trees of
# scripts and attachments.
_ACTIVE_KEYS = {
    "/JS": "javascript",
    "/EF": "embedded_files",
    "/RichMediaContent": "multimedia",
    "/3DD": "multimedia",
    "/XFA": "xfa",
    "/JavaScript": "javascript",
    "/EmbeddedFiles": "embedded_files",
}
# Removed from every dictionary after pikepdf's sanitizer, wherever they hide.
_STRIP_KEYS = ("/JS", "/EF", "/RichMediaContent", "/3DD", "/XFA", "/NeedsRendering")


class Refused(Exception):
    def __init__(self, exit_code: int, reason: str) -> None:
        super().__init__(reason)
        self.exit_code = exit_code
        self.reason = reason


def looks_like_html(data: bytes) -> bool:
    return _HTML_MARKUP.search(data[:SNIFF_WINDOW]) is not None


def _dictionaries(pdf: Any) -> Iterable[Any]:
    """Every dictionary of the file (stream dictionaries too), direct ones included, each
    once. Indirect objects come from ``pdf.objects``; direct ones are found inside them."""
    import pikepdf

    stack: list[Any] = [pdf.trailer, *pdf.objects]
    while stack:
        obj = stack.pop()
        if isinstance(obj, pikepdf.Stream):
            obj = obj.stream_dict
        if isinstance(obj, pikepdf.Dictionary):
            yield obj
            children: Iterable[Any] = obj.values()
        elif isinstance(obj, pikepdf.Array):
            children = obj
        else:
            continue
        stack.extend(c for c in children
                     if isinstance(c, (pikepdf.Dictionary, pikepdf.Array)) and not c.is_indirect)


def _is_structure_element(d: Any) -> bool:
    # A structure element's /S is a tag name, not an action subtype.
    return str(d.get("/Type", "")) == "/StructElem" or ("/K" in d and "/P" in d)


def hazards(pdf: Any) -> set[str]:
    """The categories of active content anywhere in ``pdf`` (empty when it is clean)."""
    import pikepdf

    found: set[str] = set()
    with pikepdf.explicit_conversion():
        for d in _dictionaries(pdf):
            subtype = d.get("/S")
            if (isinstance(subtype, pikepdf.Name) and str(subtype) in _ACTIVE_ACTIONS
                    and not _is_structure_element(d)):
                found.add(_ACTIVE_ACTIONS[str(subtype)])
            for key, category in _ACTIVE_KEYS.items():
                if key in d:
                    found.add(category)
            if str(d.get("/Subtype", "")) == "/RichMedia":
                found.add("multimedia")
    return found


def _sanitise(pdf: Any) -> None:
    import pikepdf
    from pikepdf.sanitize import Sanitizer

    (Sanitizer().remove_javascript().remove_external_access().remove_attachments()
     .remove_multimedia().remove_collection().apply(pdf))
    with pikepdf.explicit_conversion():
        for d in list(_dictionaries(pdf)):
            for key in _STRIP_KEYS:
                if key in d:
                    del d[key]
            names_tree = d.get("/Names")
            if isinstance(names_tree, pikepdf.Dictionary):
                for key in ("/JavaScript", "/EmbeddedFiles"):
                    if key in names_tree:
                        del names_tree[key]
            # Rich media annotations are kept by pikepdf for the page's geometry; without
            # their content they are empty boxes, so they go.
            annots = d.get("/Annots")
            if isinstance(annots, pikepdf.Array):
                kept = [a for a in annots if not (isinstance(a, pikepdf.Dictionary) and str(
                    a.get("/Subtype", "")) in ("/RichMedia", "/Screen", "/Movie", "/Sound"))]
                if len(kept) != len(annots):
                    d["/Annots"] = pikepdf.Array(kept)


def _ensure_complete(pdf: Any) -> None:
    """qpdf reads an object it has no memory for as null and only warns; under the memory
    limit that would store a silently emptied document, so it is refused instead."""
    if any("bad_alloc" in warning for warning in pdf.get_warnings()):
        raise Refused(EXIT_FAILED, "memory")


def clean(data: bytes) -> tuple[bytes, list[str]]:
    """The PDF rewritten without active content, and the categories removed.
    Raises :class:`Refused`."""
    import pikepdf

    if looks_like_html(data):
        raise Refused(EXIT_ACTIVE, "html")
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError as exc:
        raise Refused(EXIT_ENCRYPTED, "encrypted") from exc
    except (pikepdf.PdfError, ValueError) as exc:
        raise Refused(EXIT_DAMAGED, "damaged") from exc
    with pdf:
        try:
            pdf.Root  # noqa: B018 - a file without a catalogue is not a document
            removed = hazards(pdf)
            _sanitise(pdf)
            out = io.BytesIO()
            # encryption=False: an owner-password file is stored decrypted (staff must read
            # it); streams are copied as they are, never inflated.
            pdf.save(out, encryption=False,
                     stream_decode_level=pikepdf.StreamDecodeLevel.none)
        except (pikepdf.PdfError, AttributeError, KeyError) as exc:
            raise Refused(EXIT_DAMAGED, "damaged") from exc
        _ensure_complete(pdf)
    result = out.getvalue()
    with pikepdf.open(io.BytesIO(result)) as check:
        left = hazards(check)
        _ensure_complete(check)
    if left:
        raise Refused(EXIT_ACTIVE, "left:" + ",".join(sorted(left)))
    if looks_like_html(result):
        raise Refused(EXIT_ACTIVE, "html")
    return result, sorted(removed)


def _limit(max_memory: int, cpu_seconds: int) -> None:
    try:
        import resource
    except ImportError:  # not on Linux/macOS: run without the limits
        return
    for limit, value in ((resource.RLIMIT_AS, max_memory), (resource.RLIMIT_CPU, cpu_seconds)):
        # macOS refuses RLIMIT_AS; the parent's timeout still applies there.
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(limit, (value, value))


def main(argv: list[str]) -> int:
    _limit(int(argv[1]), int(argv[2]))
    data = sys.stdin.buffer.read()
    try:
        result, removed = clean(data)
    except Refused as exc:
        sys.stderr.write(json.dumps({"refused": exc.reason}) + "\n")
        return exc.exit_code
    except BaseException as exc:  # MemoryError included: the parent refuses the file
        sys.stderr.write(json.dumps({"failed": type(exc).__name__}) + "\n")
        return EXIT_FAILED
    sys.stdout.buffer.write(result)
    sys.stderr.write(json.dumps({"removed": removed}) + "\n")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main(sys.argv))
