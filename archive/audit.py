"""The audit trail: one function writes every record."""

from __future__ import annotations

from sqlalchemy.orm import Session

from archive.models import AuditEvent


def record(
    session: Session,
    *,
    user_id: int | None,
    action: str,
    object_type: str,
    object_id: str | int,
    ip: str = "",
    **detail: object,
) -> AuditEvent:
    """Add an audit event to the session's unit of work (committed with it)."""
    event = AuditEvent(
        user_id=user_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        detail={k: v for k, v in detail.items() if v is not None},
        ip=ip,
    )
    session.add(event)
    return event
