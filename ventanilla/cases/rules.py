"""Case references: random (not enumerable), with a check character against typing mistakes."""

from __future__ import annotations

import re
import secrets

from stdnum import luhn

# Crockford's base 32: no I, L, O, U, so references survive being read out on the phone.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
BODY_LENGTH = 8
_REF = re.compile(rf"^([A-Z]{{2}})-([0-9A-Z]{{{BODY_LENGTH + 1}}})$")


def reference_new(country: str) -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))
    return f"{country.upper()}-{body}{luhn.calc_check_digit(body, ALPHABET)}"


def reference_normalise(value: str) -> str:
    """Upper-case, drop spaces and inner dashes, map look-alike letters (O→0, I/L→1)."""
    raw = re.sub(r"[\s\-_.]", "", value or "").upper()
    if len(raw) < 3:
        return raw
    country, body = raw[:2], raw[2:].translate(str.maketrans("OIL", "011"))
    return f"{country}-{body}"


def reference_is_well_formed(value: str) -> bool:
    m = _REF.match(value or "")
    if not m:
        return False
    body = m.group(2)
    return all(c in ALPHABET for c in body) and luhn.is_valid(body, ALPHABET)


# R-AFF-03, R-AFF-05: matters the call centre cannot solve; they become in-person cases and
# the person is told that legal advice may be needed.
IN_PERSON_KINDS = frozenset({"contribution_error", "benefit_denied", "dependant_rejected",
                             "visa_conflict", "appeal"})


def needs_in_person_visit(kind: str) -> bool:
    return kind in IN_PERSON_KINDS
