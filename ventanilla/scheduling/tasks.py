"""Background jobs (django.tasks; the database backend runs them in `ventanilla worker`)."""

from __future__ import annotations

from django.conf import settings
from django.tasks import task


@task()
def slots_generate_ahead(*, days: int | None = None, country: str = "") -> dict[str, int]:
    """Keep every active centre's slots generated ``days`` ahead (default
    ``SLOTS_AHEAD_DAYS``; run daily), then tell the people waiting for a free time."""
    from .services import slots_generate_ahead as generate

    result = generate(days=settings.SLOTS_AHEAD_DAYS if days is None else days,
                      country=country or None)
    return {"created": result.created, "closed": result.closed, "reopened": result.reopened}


@task()
def slot_alerts_send(*, service_id: str = "", place_code: str = "") -> int:
    """"Avisarme": e-mail the open alerts that now have a free time (``alerts``); with a
    service's public id and a centre's place code, only those one freed place satisfies."""
    from .alerts import slot_alerts_send as send

    return send(service_id=service_id or None, place_code=place_code or None)
