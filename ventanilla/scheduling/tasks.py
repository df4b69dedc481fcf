"""Background jobs (django.tasks; the database backend runs them in `ventanilla worker`)."""

from __future__ import annotations

from django.tasks import task


@task()
def slots_generate_ahead(*, days: int = 28, country: str = "") -> dict[str, int]:
    """Keep every active centre's slots generated ``days`` ahead (run daily)."""
    from .services import slots_generate_ahead as generate

    result = generate(days=days, country=country or None)
    return {"created": result.created, "closed": result.closed, "reopened": result.reopened}
