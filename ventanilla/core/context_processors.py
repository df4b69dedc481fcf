from django.conf import settings


def site(request):
    return {
        "outage_banner": getattr(settings, "OUTAGE_BANNER", ""),
        "demo_mailbox": getattr(settings, "DEMO_MAILBOX", False),
    }
