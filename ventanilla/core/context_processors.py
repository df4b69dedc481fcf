from django.conf import settings


def site(request):
    session = getattr(request, "session", None)
    user = getattr(request, "user", None)
    signed_in = bool(session is not None and (
        session.get("application_id") or (user is not None and user.is_authenticated)))
    return {
        "outage_banner": getattr(settings, "OUTAGE_BANNER", ""),
        "demo_mailbox": getattr(settings, "DEMO_MAILBOX", False),
        # only pages of a signed-in session warn before it ends
        "session_expires_in": session.get_expiry_age() if signed_in else 0,
    }
