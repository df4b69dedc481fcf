"""R-LNG-01: every page with a form of the registration, the portal, the back office and
the admin's sign-in speaks one language: an English page shows no Spanish text of the
catalogue and a Spanish page no English text that the catalogue translates.

The pages are not listed here: ``walk`` opens every page a person reaches from where they
start, in each language, and also sends every POST form empty so that the error messages
are read too. The catalogue itself says which text is which language: a ``msgstr`` is
Spanish, its ``msgid`` English. A label built once at import time (a lazy string turned
into ``str`` by an f-string, ``%`` or ``str()`` while the module loads) is frozen in the
language active then, and shows up on the pages of the other one.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import polib
import pytest
from django.db import transaction

from . import walk

PO = Path(__file__).resolve().parents[2] / "locale" / "es" / "LC_MESSAGES" / "django.po"

# Names that are the same in both languages (institutions, documents, places, laws).
PROPER_NOUNS = {
    "IESS", "EsSalud", "SIS", "DNI", "Registro Civil", "Cédula de identidad", "cédula",
    "Carné de extranjería", "unión de hecho", "Seguro Social Campesino", "Ventanilla",
    "Ley Orgánica de Movilidad Humana", "Clave", "clave", "Ecuador", "Perú", "Peru",
    "número de trámite", "trámite", "Para Todos",  # SIS Para Todos: a plan's name
    "English", "Español",  # the language switcher names each language in itself
}

_PLACEHOLDER = re.compile(r"%\([^)]*\)[sdif]|%[sdif]|\{[^}]*\}|<[^>]+>|&[a-z]+;")


def _fragments(text: str) -> set[str]:
    """The literal pieces of a catalogue string, between its placeholders and tags."""
    out = set()
    for piece in _PLACEHOLDER.split(text):
        piece = re.sub(r"\s+", " ", piece).strip(" .,:;·–—()¿?¡!\"'")
        if re.search(r"[^\W\d_]{2}", piece) and piece not in PROPER_NOUNS:
            out.add(piece)
    return out


@cache
def markers() -> tuple[frozenset[str], frozenset[str]]:
    """(Spanish-only text, English-only text) of the catalogue."""
    spanish: set[str] = set()
    english: set[str] = set()
    for entry in polib.pofile(str(PO)):
        if entry.obsolete or "fuzzy" in entry.flags:
            continue
        pairs = [(entry.msgid, entry.msgstr)]
        if entry.msgid_plural:
            pairs = [(entry.msgid, entry.msgstr_plural.get(0, "")),
                     (entry.msgid_plural, entry.msgstr_plural.get(1, ""))]
        for msgid, msgstr in pairs:
            if msgstr and msgstr != msgid:
                spanish |= _fragments(msgstr)
                english |= _fragments(msgid)
    # A piece that is in both (the same word in both languages, in different entries)
    # says nothing about the language.
    both = spanish & english
    return frozenset(spanish - both), frozenset(english - both)


_SEPARATORS = re.compile(r"\s*[:·—–()/,|]\s*")


def other_language(text: list[str], language: str) -> set[str]:
    """The catalogue text of the other language found in ``text``.

    A piece of several words counts wherever it stands (whole words); a single word only
    when it is a whole item of the page ("Día", "Ecuador: Pasaporte"), because names in
    the data ("Hospital del Día") are no text of the catalogue.
    """
    spanish, english = markers()
    wrong = english if language == "es" else spanish
    joined = "\n".join(text)
    segments = {s for chunk in text for s in _SEPARATORS.split(chunk) if s}
    found = set()
    for piece in wrong:
        if " " not in piece:
            if piece in segments:
                found.add(piece)
        elif piece in joined and re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", joined):
            found.add(piece)
    # keep the longest of pieces found inside one another
    return {p for p in found if not any(p != q and p in q for q in found)}


def _pages_and_errors(w, role: str, language: str):
    """Every page of ``role``, then every POST form of it sent empty (its errors)."""
    client = walk.client_for(role, w, language=language)
    for page in walk.crawl(client, role, w.seeds[role]):
        yield page.url, page.html
        for form in page.forms:
            if form.method != "post" or not form.names:
                continue
            with transaction.atomic():
                r = client.post(walk.form_target(page, form), {})
                if ("text/html" in r.get("Content-Type", "") and r.status_code >= 400
                        and r.content):
                    yield f"POST {walk.form_target(page, form)} (empty)", r.content.decode()
                transaction.set_rollback(True)


@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize("role", walk.ROLES)
def test_r_lng_01_every_form_page_is_in_the_language_of_the_page(walked_world, db, role,
                                                                 language):
    problems = {}
    for where, body in _pages_and_errors(walked_world, role, language):
        assert f'lang="{language}"' in body[:500], where
        wrong = other_language(walk.visible_text(body), language)
        if wrong:
            problems[where] = sorted(wrong)
    assert problems == {}


def test_the_walk_opens_every_page_with_a_form(walked_world, db):
    """A page added to registration:, portal: or staff: is walked, or listed with why not."""
    walked = set()
    for role in walk.ROLES:
        client = walk.client_for(role, walked_world, language="es")
        for page in walk.crawl(client, role, walked_world.seeds[role]):
            walked.add(page.url_name)
            walked |= {walk.url_name(walk.form_target(page, f)) for f in page.forms}
    assert walk.all_url_names() - walked - set(walk.URL_NAMES_WITHOUT_FORMS) == set()
    assert "admin:login" in walked


def test_the_catalogue_markers_tell_the_languages_apart():
    """The check above can fail: "Pasaporte" is Spanish, "Passport" English."""
    spanish, english = markers()
    assert "Pasaporte" in spanish and "Passport" in english
    assert other_language(["Ecuador: Pasaporte"], "en") == {"Pasaporte"}
    assert other_language(["Ecuador: Passport"], "es") == {"Passport"}
    assert other_language(["Ecuador: Passport"], "en") == set()
