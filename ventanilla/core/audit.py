"""The audit log: every staff read or change of a person's data is recorded here."""

from __future__ import annotations

from typing import Any

from . import request_context
from .models import AuditEntry


def audit_record(
    *,
    actor,
    action: str,
    obj: Any | None = None,
    object_type: str = "",
    object_id: str = "",
    subject_ref: str = "",
    channel: str = "",
    details: dict | None = None,
) -> AuditEntry:
    info = request_context.current()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(getattr(obj, "public_id", None) or obj.pk)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry.objects.create(
        actor=actor if authenticated else None,
        actor_label=(actor.get_username() if authenticated else "anonymous"),
        action=action,
        object_type=object_type,
        object_id=object_id,
        subject_ref=subject_ref,
        channel=channel,
        ip_address=info.ip_address,
        user_agent=info.user_agent,
        request_id=info.request_id,
        details=details or {},
    )

