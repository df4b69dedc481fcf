"""Pure functions of the WhatsApp conversation: no ORM, no request (R-APT-07, R-APT-09).

People type in capitals, without accents, with extra spaces, in Spanish or English; these
functions make "ODONTOLOGÍA", "odontologia" and "dentistry" the same answer.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

# R-APT-07: the only specialties booked by WhatsApp, in the order they are offered.
WHATSAPP_SPECIALTIES: tuple[str, ...] = ("dentistry", "general_medicine")

# What people write for each specialty, folded (see ``fold``). The translated labels of the
# catalogue are matched too (``specialty_code``'s ``labels`` argument).
SPECIALTY_WORDS: dict[str, tuple[str, ...]] = {
    "dentistry": ("odontologia", "odontologo", "odontologa", "dentista", "dental",
                  "dentistry", "dentist", "dientes", "muelas"),
    "general_medicine": ("medicina general", "medico general", "medica general",
                         "general medicine", "general practitioner", "general practice",
                         "gp", "medicina"),
    "pediatrics": ("pediatria", "pediatra", "pediatrics", "paediatrics", "pediatrician"),
    "gynecology": ("ginecologia", "ginecologo", "ginecologa", "gynecology", "gynaecology",
                   "gynecologist"),
    "ophthalmology": ("oftalmologia", "oftalmologo", "ophthalmology", "ophthalmologist",
                      "ojos", "eyes"),
    "traumatology": ("traumatologia", "traumatologo", "traumatology", "orthopedics"),
    "psychology": ("psicologia", "psicologo", "psicologa", "psychology", "psychologist"),
    "family_medicine": ("medicina familiar", "medicina de familia", "medico familiar",
                        "family medicine", "family doctor"),
}

ENGLISH_WORDS = frozenset({"hello", "hi", "hey", "good morning", "good afternoon", "book",
                           "booking", "appointment", "appointments", "my appointments",
                           "english", "help", "start"})
SPANISH_WORDS = frozenset({"hola", "buenos dias", "buenas tardes", "buenas noches", "buenas",
                           "cita", "citas", "mis citas", "agendar", "reservar", "espanol",
                           "ayuda", "inicio", "empezar"})
RESTART_WORDS = ENGLISH_WORDS | SPANISH_WORDS | {"menu", "reiniciar", "restart"}
YES_WORDS = frozenset({"si", "s", "yes", "y", "ok", "vale", "confirmo", "confirm",
                       "confirmar", "de acuerdo", "claro"})
NO_WORDS = frozenset({"no", "n", "cancel", "otra", "otro", "another", "change", "cambiar"})
LIST_WORDS = frozenset({"mis citas", "my appointments", "citas", "appointments",
                        "ver citas", "consultar citas"})

_CANCEL = re.compile(r"^(cancelar|anular|cancel)\s*(?:cita\s*|appointment\s*|n[o°º]?\s*)?#?"
                     r"\s*(\d{1,2})$")
_NOT_WORD = re.compile(r"[^0-9a-z]+")
_ID_CHARS = re.compile(r"[^0-9A-Z]+")


def fold(text: str) -> str:
    """Lower case, without accents or punctuation, single spaces: how answers compare."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NOT_WORD.sub(" ", plain.casefold()).split())


def digits(phone: str) -> str:
    """A phone number as digits only: +593 99 123 4567 and 593991234567 compare equal."""
    return "".join(ch for ch in phone or "" if ch.isdigit())


# Words that only one of the two languages uses (folded), to tell which one a sentence is
# in: "I need an appointment with the dentist" / "Necesito una cita con el dentista".
# Words both use ("no", "ok", "dentista") are left out, and so are names and numbers.
_ENGLISH_MARKERS = frozenset({
    "hello", "hi", "hey", "good", "morning", "afternoon", "evening", "i", "i m", "im",
    "need", "want", "would", "like", "an", "the", "with", "for", "my", "me", "please",
    "thanks", "thank", "you", "appointment", "appointments", "book", "booking", "doctor",
    "dentist", "dentistry", "general", "medicine", "yes", "when", "where", "what", "can",
    "how", "is", "are", "have", "city", "english", "cancel", "help", "tomorrow", "today"})
_SPANISH_MARKERS = frozenset({
    "hola", "buenos", "buenas", "dias", "tardes", "noches", "quiero", "necesito",
    "quisiera", "una", "un", "el", "la", "los", "las", "con", "para", "mi", "mis", "por",
    "favor", "gracias", "cita", "citas", "agendar", "reservar", "medico", "medica",
    "odontologia", "odontologo", "medicina", "si", "cuando", "donde", "que", "puedo",
    "como", "es", "son", "tengo", "ciudad", "espanol", "cancelar", "ayuda", "manana",
    "hoy", "de", "del", "y"})


def language_hint(text: str) -> str | None:
    """"en" or "es" when the message says which language the person writes in: a greeting
    or keyword of one language, or a sentence with more words only that language uses
    (R-LNG-01: answer in the person's language). None for names, numbers and words both
    languages share."""
    folded = fold(text)
    if folded in ENGLISH_WORDS or folded.startswith(("hello ", "hi ", "book ", "cancel ")):
        return "en"
    if folded in SPANISH_WORDS or folded.startswith(("hola ", "cancelar ", "quiero ")):
        return "es"
    words = folded.split()
    english = sum(1 for w in words if w in _ENGLISH_MARKERS)
    spanish = sum(1 for w in words if w in _SPANISH_MARKERS)
    if english >= 2 and english > spanish:
        return "en"
    if spanish >= 2 and spanish > english:
        return "es"
    return None


def is_restart(text: str) -> bool:
    return fold(text) in RESTART_WORDS - LIST_WORDS


def is_yes(text: str) -> bool:
    return fold(text) in YES_WORDS


def is_no(text: str) -> bool:
    return fold(text) in NO_WORDS


@dataclass(frozen=True)
class Command:
    """A keyword that works at any step: list the appointments, or cancel number ``n``."""

    action: str           # "list" | "cancel"
    number: int | None = None


def command(text: str) -> Command | None:
    folded = fold(text)
    if folded in LIST_WORDS:
        return Command("list")
    match = _CANCEL.match(folded)
    if match:
        return Command("cancel", int(match.group(2)))
    return None


def name_tokens(name: str) -> Counter[str]:
    return Counter(fold(name).split())


def name_matches(given: str, *, given_names: str, family_names: str) -> bool:
    """The full name typed is the person's: the same words, in any order, whatever the
    accents, capitals and spaces. Initials or a missing surname are not enough."""
    typed = name_tokens(given)
    return bool(typed) and typed == name_tokens(f"{given_names} {family_names}")


def clean_id(text: str) -> str:
    """An ID number as stored: upper-case letters and digits, no dots, dashes or spaces."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return _ID_CHARS.sub("", decomposed.upper())[:20]


def specialty_code(text: str, *, labels: dict[str, list[str]] | None = None) -> str | None:
    """The catalogue code of the specialty typed, or None. ``labels`` adds the catalogue's
    translated names per code (matched folded)."""
    folded = fold(text)
    if not folded:
        return None
    if folded.isdigit():
        index = int(folded) - 1
        return WHATSAPP_SPECIALTIES[index] if 0 <= index < len(WHATSAPP_SPECIALTIES) else None
    words: dict[str, set[str]] = {code: set(w) for code, w in SPECIALTY_WORDS.items()}
    for code, names in (labels or {}).items():
        words.setdefault(code, set()).update(fold(n) for n in names)
    # exact match first, then the longest phrase contained in the message
    for code, phrases in words.items():
        if folded in phrases:
            return code
    best: tuple[int, str] | None = None
    padded = f" {folded} "
    for code, phrases in words.items():
        for phrase in phrases:
            if phrase and f" {phrase} " in padded and (best is None or len(phrase) > best[0]):
                best = (len(phrase), code)
    return best[1] if best else None


def may_book_here(code: str) -> bool:
    """R-APT-07: only Dentistry and General Medicine are booked by WhatsApp."""
    return code in WHATSAPP_SPECIALTIES


def choice(text: str, *, count: int) -> int | None:
    """The 0-based index of a numbered option ("2", "2.", "#2", "opción 2"), or None."""
    folded = fold(text)
    for prefix in ("opcion ", "option ", "numero ", "number ", "la ", "el "):
        if folded.startswith(prefix):
            folded = folded[len(prefix):]
    if folded.isdigit():
        index = int(folded) - 1
        if 0 <= index < count:
            return index
    return None
