"""The e-mail of the dependants procedure: the decision on a request, to the affiliate."""

from __future__ import annotations

from django.urls import reverse

from ventanilla.notifications.messages import Email, email_message, email_render


@email_message("dependants.decision")
def dependant_decision(*, request_id: str) -> Email | None:
    """R-REG-06: the outcome of a request to cover a dependant, in the affiliate's language."""
    from .models import DependantRequest

    request = (DependantRequest.objects.select_related("case", "affiliation",
                                                       "holder_affiliation__person",
                                                       "in_person_case")
               .filter(public_id=request_id).first())
    if request is None:
        return None
    return email_render("dependants/email/dependant_decision.txt", request=request,
                        reference=request.case.reference,
                        approved=request.status == "approved",
                        path=reverse("portal:dependant_request", args=[request.public_id]))


def dependant_decision_queue(request) -> None:
    holder = request.holder_affiliation.person
    if holder.email:
        dependant_decision.queue(to=holder.email, language=holder.language,
                                 request_id=str(request.public_id))
