from django.utils.translation import gettext_lazy as _

from ventanilla.core.errors import NotFound, ValidationFailed


class NoBasicSalary(NotFound):
    code = "BASIC_SALARY_MISSING"
    default_message = _("There is no basic salary for this year yet. An administrator enters "
                        "it with its legal source when it is published.")


class NoRate(NotFound):
    code = "RATE_MISSING"
    default_message = _("No contribution rate is in force for this affiliation type on this "
                        "date.")


class BaseInvalid(ValidationFailed):
    code = "BASE_INVALID"
