"""Errors of the dependants procedure: one code each, translated messages, field named."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from ventanilla.core.errors import Conflict, NotFound, ValidationFailed


class DependantRefused(ValidationFailed):
    code = "DEPENDANT_REFUSED"


class HolderNotEligible(DependantRefused):
    code = "HOLDER_NOT_ELIGIBLE"
    default_message = _("Only an affiliate who is covered, and is not a dependant themself, "
                        "can extend their coverage to a family member.")


class ChildTooOld(DependantRefused):
    code = "CHILD_TOO_OLD"
    default_message = _("Children can be covered as dependants only until their 18th "
                        "birthday (Ley de Seguridad Social, art. 11).")


class InscriptionMissing(DependantRefused):
    code = "INSCRIPTION_MISSING"
    default_message = _("A marriage celebrated abroad must first be inscribed at the Registro "
                        "Civil. Enter the reference of the inscription.")


class SelfAsDependant(DependantRefused):
    code = "SELF_AS_DEPENDANT"
    default_message = _("You cannot add yourself as your own dependant.")


class InPersonOnly(DependantRefused):
    """R-DEP-02: refused on this channel; carries the papers to bring to the office."""

    code = "IN_PERSON_ONLY"
    default_message = _("This request is accepted only in person. Book a visit to a service "
                        "centre and bring the papers on the checklist.")

    def __init__(self, *args, checklist: Sequence[dict] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.checklist = list(checklist)

    def as_dict(self) -> dict:
        return {**super().as_dict(), "checklist": self.checklist}


class AlreadyCovered(Conflict):
    code = "ALREADY_COVERED"
    default_message = _("This person is already covered by the health system, as an affiliate "
                        "or as someone's dependant.")


class DuplicateRequest(Conflict):
    code = "DUPLICATE_REQUEST"
    default_message = _("There is already a request for this person waiting for a decision.")


class SpouseAlreadyCovered(Conflict):
    code = "SPOUSE_ALREADY_COVERED"
    default_message = _("You already have a spouse or partner covered, or a request for one "
                        "waiting for a decision. Only one can be covered.")


class DecisionNotAllowed(Conflict):
    code = "DECISION_NOT_ALLOWED"
    default_message = _("This request is not waiting for a decision.")


class RequestNotFound(NotFound):
    code = "DEPENDANT_REQUEST_NOT_FOUND"
    default_message = _("We could not find this request.")
