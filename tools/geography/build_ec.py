"""Build ventanilla/countries/ec/data/geography.json from INEC DPA source files.

Input: the unmodified JSON files copied from the PyPI package ``ecuador-mcp``
0.13.0 (MIT) into ``ventanilla/countries/ec/data/source/`` (see SOURCE.md there).
Output: ``ventanilla/countries/ec/data/geography.json``.

Plain Python 3.12 standard library; deterministic (same input, same bytes out).

    python tools/geography/build_ec.py           # rebuild
    python tools/geography/build_ec.py --check   # fail if the committed file is stale

Levels: province (2-digit INEC DPA code), canton (4 digits), parish (6 digits).
Parish ``kind``: INEC parish codes ending 01-49 are urban parishes (DPA_PARURB, from
parroquias_urbanas.json), 50 is the cabecera cantonal (the canton seat, urban), and
51-99 are rural parishes. The urban parishes 01-49 of a canton subdivide its
cabecera cantonal (...50); both are listed, as INEC lists both.

Province 90 ("Zona No Delimitada": Las Golondrinas, Manga del Cura, El Piedrero,
Juval) and its cantons/parishes are excluded: they belong to no province.

Names: the source spells cantons and rural parishes in Title Case mostly without
accents ("Giron", "Simon Bolivar (Cab. En Gañanzol)") and has two mis-decoded "ñ"
("Logroðo", "Rumiðahui"). ``fix_name`` repairs them reproducibly with the
word-level table ``ACCENTED`` below, lower-case particles and ``NAME_OVERRIDES``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "ventanilla" / "countries" / "ec" / "data"
SOURCE = DATA / "source"
OUTPUT = DATA / "geography.json"

SOURCE_LABEL = "INEC DPA via ecuador-mcp 0.13.0 (MIT)"

# sha256 of the files as shipped in ecuador_mcp-0.13.0-py3-none-any.whl
# (helpers/data/*.json); they must stay unmodified copies.
SOURCE_SHA256 = {
    "provincias.json": "1f20f16a7616c006b9d03641595afc14dd8232420cb06babbedc533940f8d22a",
    "cantones.json": "a0edd806d69a499579806c8d0fdd37808bb7ff35176fd8000232b0dbf3e6e843",
    "parroquias.json": "c0740b21b9982be0ae8de655e7903b261399ccf2084ee0fcb284a7a089429b76",
    "parroquias_urbanas.json": "60d7b7727e065decbe72d7a79209a2e09137ac8a41ff1bab55447d9039d55496",
}

EXCLUDED_PROVINCES = {"90"}  # zonas no delimitadas

# Expected counts after excluding province 90 (see README.md for how they relate to
# the 24 / 222 / 1,041 / 269 figures usually quoted for these files).
EXPECTED = {
    "province": 24,
    "canton": 222,
    "parish": 1306,
    "parish_cabecera": 222,  # code ...50, kind "urban"
    "parish_rural": 815,  # codes ...51-99, kind "rural"
    "parish_urban_subdivision": 269,  # codes ...01-49, kind "urban"
    "excluded_cantons": 4,
    "excluded_parishes": 4,
}

# ---------------------------------------------------------------------------
# Name correction
# ---------------------------------------------------------------------------

# Mis-decoded characters seen in the source ("Logroðo", "Rumiðahui").
CHAR_FIXES = {"ð": "ñ"}

# Particles written in lower case unless they start a name (or a bracketed /
# hyphenated part of it, or the place after "Cab. en").
PARTICLES = {"de", "del", "la", "las", "los", "y", "el", "en"}
ARTICLES = {"el", "la", "los", "las"}

# Word-level accent / spelling table. Each entry is the correct spelling of a word;
# it is looked up by its accent-less lower-case form, so "SIMON", "Simon" and
# "simon" all become "Simón". Only words that are always written this way in
# Ecuadorian place names are listed. Words not listed keep the source spelling
# (Kichwa/Shuar names such as Tiwintza, Shushufindi, Zhud are left as they are).
ACCENTED = """
Abañín Abdón Agrícola Alangasí Aláquez Alausí Alluriquín Aloasí Alóag Ambuquí
América Ancón Andrés Ángel Ángeles Asunción Ávila Azúcar Bahía Ballén Bárbara
Bartolomé Bellamaría Benítez Biblián Bilován Bolívar Bombón Borbón Boyacá Búa Bulán
Cahuasquí Calacalí Calderón Calpaquí Cangonamá Capitán Caráquez Carcabón Catanahuán
Celén Chantilín Chicán Chitán Chugchillán Chumblín Cojimíes Colón Concepción Cóndor
Corazón Córdova Cotaló Cristóbal Cubijíes Cumandá Cumbayá Dávila Déleg Díaz
Domínguez Durán Echeandía Edén Enríquez Espíndola Farfán Fátima Fernández Galán
García Girón Gómez Gonzanamá González Guachanamá Guambaló Guanailín Guanazán Guapán Güel
Gutiérrez Holguín Huambaló Ilumán Inés Isinliví Jadán Jambelí Jaramijó Jerusalén
Jesús Jijón Joaquín José Juján Junín Licán Limón López Lucía Lumbaquí Macará
Machángara Malchinguí Maná Marcabelí María Martín Martínez Mejía Méndez Misahuallí
Montúfar Mulaló Nabón Nayón Nazón Ordóñez Otón Pacaicaguán Paján Paraíso Pataquí
Patulú Pijilí Pilagüín Pilahuín Pílalo Píllaro Pinguilí Píntag Plácido Playón Poaló
Pucará Puéllaro Pujilí Puná Pungalá Punín Químiag Quinindé Ramón Régulo Rendón Río
Riofrío Rodríguez Salatí Samborondón Sangolquí Sanguillín Saquisilí Sayausí
Sebastián Sígsig Simón Sinaí Sofía Súa Suárez Sucúa Sucumbíos Tablón Tanicuchí
Telembí Terán Tixán Tomás Tonchigüe Tulcán Tululbí Unión Urcuquí Valparaíso Vásquez
Víctor Yaruquí Yasuní Zámbiza Zárate
""".split()  # noqa: SIM905 (a block of words is easier to review)

# Whole-name corrections by code, for what a word table cannot express.
NAME_OVERRIDES = {
    # INEC writes "Cháves"; the surname (and the parish, named after Ángel Polibio
    # Chaves) is a paroxytone ending in -s and takes no accent.
    "020101": "Ángel Polibio Chaves",
}

# Where the names built here knowingly differ from the spelling of INEC's 2026
# classifier quoted in parroquias_urbanas.json (used as a cross-check in build()).
CROSS_CHECK_EXCEPTIONS = {
    # cantones.json names the canton "Quito".
    "1701": "Distrito Metropolitano de Quito",
    # "Villa La Unión": the article starts the embedded place name "La Unión".
    "060350": "Villa la Unión",
}


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


ACCENT_TABLE = {strip_accents(word).lower(): word for word in ACCENTED}
assert len(ACCENT_TABLE) == len(ACCENTED), "duplicate entries in ACCENTED"

TOKEN = re.compile(r"[^\W_]+")
MOJIBAKE = re.compile("[ÃÂ]")


def repair_encoding(name: str) -> str:
    """Undo UTF-8 read as Latin-1/cp1252 ("Ã±" -> "ñ") and known bad characters."""
    if MOJIBAKE.search(name):
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            name = name.encode("cp1252").decode("utf-8")
    for bad, good in CHAR_FIXES.items():
        name = name.replace(bad, good)
    return name


def tidy_spacing(name: str) -> str:
    name = re.sub(r"\s+", " ", name).strip()
    name = re.sub(r"\(\s+", "(", name)
    name = re.sub(r"\s+\)", ")", name)
    # "Chagrapamba -Patzucul" -> "Chagrapamba - Patzucul"; "Triunfo-Dorado" stays.
    name = re.sub(r"(\w) -(\w)", r"\1 - \2", name)
    name = re.sub(r"(\w)- (\w)", r"\1 - \2", name)
    # Abbreviations missing their point: "(Cab En 9 De Octubre)", "Sta Susana".
    name = re.sub(r"\b(Cab|Sta)\b(?!\.)", r"\1.", name, flags=re.IGNORECASE)
    return name


def case_word(word: str) -> str:
    if word.isdigit():
        return word
    key = strip_accents(word).lower()
    if key in ACCENT_TABLE:
        return ACCENT_TABLE[key]
    return word[:1].upper() + word[1:].lower()


def fix_name(name: str) -> str:
    """Return the name in proper Spanish case and accentuation."""
    name = tidy_spacing(repair_encoding(name))
    out: list[str] = []
    pos = 0
    prev_key: str | None = None  # lower-case key of the previous word
    segment_start = True
    for match in TOKEN.finditer(name):
        gap = name[pos : match.start()]
        out.append(gap)
        if any(ch in gap for ch in "(:-\u2013"):  # "(", ":", hyphen, en dash
            segment_start = True
        word = match.group()
        key = strip_accents(word).lower()
        if len(word) == 1 and word.isalpha() and name[match.end() : match.end() + 1] == ".":
            cased = word.upper()  # an initial: "Julio E. Moreno"
        elif key == "en" and prev_key == "cab":
            cased = "en"  # "(Cab. en Gañanzol)": cabecera en ...
        elif key in PARTICLES and not segment_start:
            keep_article = key in ARTICLES and (
                # "San Luis de El Acho": the source did not contract "de el" to
                # "del", so "El" belongs to the place name.
                (key == "el" and prev_key == "de")
                # "Villa La Unión", "Puerto El Carmen": an article right after a
                # noun starts an embedded place name.
                or (prev_key is not None and prev_key not in PARTICLES)
            )
            cased = word[:1].upper() + word[1:].lower() if keep_article else word.lower()
        else:
            cased = case_word(word)
        out.append(cased)
        pos = match.end()
        # After "Cab." (cabecera [en] ...) a new place name starts.
        segment_start = key == "cab" or (key == "en" and prev_key == "cab")
        prev_key = key
    out.append(name[pos:])
    return "".join(out)


# ---------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------


def load(name: str) -> list[dict]:
    path = SOURCE / name
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != SOURCE_SHA256[name]:
        raise SystemExit(f"{path}: sha256 {digest} differs from the ecuador-mcp 0.13.0 file")
    return json.loads(raw.decode("utf-8"))


def build() -> dict:
    provincias = load("provincias.json")
    cantones = load("cantones.json")
    parroquias = load("parroquias.json")
    urbanas = load("parroquias_urbanas.json")

    divisions: dict[str, dict] = {}

    def add(code: str, raw_name: str, level: int, parent: str | None, kind: str | None) -> None:
        assert code not in divisions, f"duplicate code {code}"
        assert code.isdigit() and len(code) == 2 + 2 * level, code
        entry: dict = {
            "code": code,
            "name": NAME_OVERRIDES.get(code, fix_name(raw_name)),
            "level": level,
            "parent": parent,
        }
        if kind is not None:
            entry["kind"] = kind
        divisions[code] = entry

    excluded = {"canton": 0, "parish": 0}
    for row in provincias:
        if row["codigo"] not in EXCLUDED_PROVINCES:
            add(row["codigo"], row["nombre"], 0, None, None)
    for row in cantones:
        code = row["codigo"]
        if code[:2] in EXCLUDED_PROVINCES:
            excluded["canton"] += 1
            continue
        assert row["provincia_codigo"] == code[:2], code
        add(code, row["nombre"], 1, code[:2], None)
    for row in parroquias:
        code = row["codigo"]
        if code[:2] in EXCLUDED_PROVINCES:
            excluded["parish"] += 1
            continue
        assert row["canton_codigo"] == code[:4], code
        assert int(code[4:]) >= 50, code
        kind = "urban" if code[4:] == "50" else "rural"
        add(code, row["nombre"], 2, code[:4], kind)
    for row in urbanas:
        code = row["codigo"]
        assert code[:2] not in EXCLUDED_PROVINCES, code
        assert row["canton_codigo"] == code[:4], code
        assert 1 <= int(code[4:]) <= 49, code
        # Each urban parish lies inside its canton's cabecera cantonal (...50).
        assert row["parroquia_codigo"] == code[:4] + "50", code
        assert row["parroquia_codigo"] in divisions, code
        add(code, row["nombre"], 2, code[:4], "urban")

    ordered = [divisions[code] for code in sorted(divisions)]
    for entry in ordered:
        parent = entry["parent"]
        if entry["level"] == 0:
            assert parent is None
        else:
            assert parent in divisions, entry
            assert divisions[parent]["level"] == entry["level"] - 1, entry
        assert entry["name"] == entry["name"].strip() and "  " not in entry["name"], entry
        assert not MOJIBAKE.search(entry["name"]) and "ð" not in entry["name"], entry

    level2 = [e for e in ordered if e["level"] == 2]
    counts = {
        "province": sum(e["level"] == 0 for e in ordered),
        "canton": sum(e["level"] == 1 for e in ordered),
        "parish": len(level2),
        "parish_cabecera": sum(e["code"].endswith("50") for e in level2),
        "parish_rural": sum(e["kind"] == "rural" for e in level2),
        "parish_urban_subdivision": sum(int(e["code"][4:]) < 50 for e in level2),
        "excluded_cantons": excluded["canton"],
        "excluded_parishes": excluded["parish"],
    }
    assert counts == EXPECTED, f"counts {counts} != expected {EXPECTED}"
    # Every canton has its cabecera cantonal.
    for entry in ordered:
        if entry["level"] == 1:
            assert entry["code"] + "50" in divisions, entry
    # Cross-check the corrected names against the accented spellings of INEC's
    # 2026 classifier that parroquias_urbanas.json repeats for 59 cantons and
    # their cabeceras (it drops the bracketed alternative names).
    for row in urbanas:
        for code, inec_name in (
            (row["canton_codigo"], row["canton"]),
            (row["parroquia_codigo"], row["parroquia"]),
        ):
            ours = re.sub(r" \(.*?\)", "", divisions[code]["name"])
            if code in CROSS_CHECK_EXCEPTIONS:
                assert CROSS_CHECK_EXCEPTIONS[code] == inec_name, (code, inec_name)
            else:
                assert ours == inec_name, f"{code}: {ours!r} but INEC 2026 has {inec_name!r}"

    return {
        "country": "EC",
        "source": SOURCE_LABEL,
        "levels": ["province", "canton", "parish"],
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
            print(f"{OUTPUT} is out of date; run python tools/geography/build_ec.py")
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
