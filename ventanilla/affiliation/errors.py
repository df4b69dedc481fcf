from django.utils.translation import gettext_lazy as _

from ventanilla.core.errors import Conflict, ValidationFailed


class AffiliationRefused(ValidationFailed):
    code = "AFFILIATION_REFUSED"


class AlreadyAffiliated(Conflict):
    code = "ALREADY_AFFILIATED"
    default_message = _("This person already has an open affiliation with this health system.")
