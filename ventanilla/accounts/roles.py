"""Roles are Django groups holding permissions; code checks permissions, never group names."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    AGENT = "agent"              # service-centre agent: registers people at the counter
    REVIEWER = "reviewer"        # back office: reviews applications
    OPERATOR = "operator"        # call centre: books appointments by phone (R-APT-06)
    VALIDATOR = "validator"      # validates private sick-leave certificates (R-CER-01..05)
    CLINICIAN = "clinician"      # a medical centre's staff: attendance, rest certificates
    ADMINISTRATOR = "administrator"


# permission codenames ("app_label.codename") per role
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.AGENT: [
        "registration.register_in_person",
        "people.issue_clave",
        "cases.add_case",
        "affiliation.add_affiliation",
        "affiliation.change_affiliation",
        "affiliation.view_affiliation",
        "registration.view_application",
        "cases.view_case",
        "accounts.unblock_account",
        "people.view_person",
        "dependants.add_dependantrequest",
        "dependants.review_dependantrequest",
        "dependants.view_dependantrequest",
        "scheduling.view_booking",
        "scheduling.add_booking",
        "scheduling.change_booking",
        "scheduling.add_referral",
        "scheduling.view_referral",
    ],
    Role.REVIEWER: [
        "registration.review_application",
        "registration.view_application",
        "cases.view_case",
    ],
    Role.OPERATOR: [
        "people.view_person",
        "scheduling.view_booking",
        "scheduling.add_booking",
        "scheduling.change_booking",
        "scheduling.view_referral",   # to tell a caller whether a specialty can be booked
        "cases.view_case",
    ],
    Role.VALIDATOR: [
        "certificates.view_certificate",
        "certificates.review_certificate",
        "cases.view_case",
    ],
    Role.CLINICIAN: [
        "people.view_person",
        "scheduling.view_booking",
        "scheduling.change_booking",   # records whether the patient came
        "certificates.view_certificate",
        "certificates.issue_certificate",   # R-CER-01: valid as issued
    ],
    Role.ADMINISTRATOR: [
        "certificates.view_certificate",
        "registration.review_application",
        "registration.register_in_person",
        "registration.view_application",
        "cases.view_case",
        "core.view_auditentry",
        "people.issue_clave",
        "cases.add_case",
        "affiliation.add_affiliation",
        "affiliation.change_affiliation",
        "affiliation.view_affiliation",
        "contributions.add_basicsalary",
        "contributions.change_basicsalary",
        "contributions.view_basicsalary",
        "contributions.add_contributionrate",
        "contributions.change_contributionrate",
        "contributions.view_contributionrate",
        "contributions.add_contributionpayment",
        "contributions.view_contributionpayment",
        "scheduling.add_centre",
        "scheduling.change_centre",
        "scheduling.view_centre",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_user",
        "accounts.unblock_account",
        "people.view_person",
        "dependants.add_dependantrequest",
        "dependants.review_dependantrequest",
        "dependants.view_dependantrequest",
        "scheduling.view_booking",
        "scheduling.add_booking",
        "scheduling.change_booking",
        "scheduling.add_schedule",
        "scheduling.change_schedule",
        "scheduling.view_schedule",
        "scheduling.add_scheduleexception",
        "scheduling.change_scheduleexception",
        "scheduling.view_scheduleexception",
        "scheduling.add_service",
        "scheduling.change_service",
        "scheduling.view_service",
        "scheduling.add_doctor",
        "scheduling.change_doctor",
        "scheduling.view_doctor",
        "scheduling.add_referral",
        "scheduling.change_referral",
        "scheduling.view_referral",
        "scheduling.view_channelblock",
        "scheduling.change_channelblock",
        "scheduling.view_slotalert",
        # the outbox: see what was sent, send again what could not be delivered
        "notifications.view_outboundmessage",
        "notifications.change_outboundmessage",
        # failed sign-ins: see them, unlock a name (deleting its row)
        "accounts.view_signinthrottle",
        "accounts.delete_signinthrottle",
    ],
}


def serves_country(user, country: str) -> bool:
    """Staff of one health system act only on its cases; staff without a country (national
    administrators) act on all."""
    return not getattr(user, "country", "") or user.country == country
