from django.utils.translation import gettext_lazy as _

from ventanilla.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed


class ApplicationNotFound(NotFound):
    code = "APPLICATION_NOT_FOUND"
    default_message = _("Application not found.")


class AlreadyRegistered(Conflict):
    code = "ALREADY_REGISTERED"
    default_message = _("This identity document is already registered with the health system, "
                        "or has an application in progress. Look up its case with the "
                        "reference number, or go to a service centre.")


class NotEditable(Conflict):
    code = "APPLICATION_NOT_EDITABLE"
    default_message = _("This application has been submitted and can no longer be changed.")


class EmailNotConfirmed(PermissionDenied):
    code = "EMAIL_NOT_CONFIRMED"
    default_message = _("Confirm your e-mail address with the code we sent before uploading "
                        "documents.")


class Incomplete(ValidationFailed):
    code = "APPLICATION_INCOMPLETE"
    default_message = _("Some answers or documents are missing.")


class DecisionNotAllowed(Conflict):
    code = "DECISION_NOT_ALLOWED"


class UploadInvalid(ValidationFailed):
    code = "UPLOAD_INVALID"
