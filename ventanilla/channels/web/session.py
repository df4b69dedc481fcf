"""Which application this browser is working on (no password exists before approval)."""

from __future__ import annotations

from ventanilla.registration import selectors
from ventanilla.registration.errors import ApplicationNotFound
from ventanilla.registration.models import Application

KEY = "application_id"


def remember(request, application: Application) -> None:
    request.session.cycle_key()  # a new session id when it gains access to personal data
    request.session[KEY] = str(application.public_id)


def forget(request) -> None:
    request.session.pop(KEY, None)


def current(request) -> Application | None:
    public_id = request.session.get(KEY)
    if not public_id:
        return None
    try:
        app = selectors.application_get(public_id)
    except ApplicationNotFound:
        forget(request)
        return None
    # A counter application belongs to the staff session that opened it.
    if app.created_by_id and app.created_by_id != getattr(request.user, "pk", None):
        forget(request)
        return None
    return app
