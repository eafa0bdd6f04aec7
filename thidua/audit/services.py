"""`audit_log`: the single way services record what they did."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from thidua.audit.models import AuditEvent

_MASKED = ("password", "secret", "token", "api_key")


def _masked(data: dict[str, Any]) -> dict[str, Any]:
    return {key: ("***" if any(word in key.lower() for word in _MASKED) else value) for key, value in data.items()}


def audit_log(
    *,
    action: str,
    actor=None,
    target: models.Model | None = None,
    summary: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record `action` (dotted code, e.g. "covenant.imported"). Must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_log must be called inside the transaction of the change it records")
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        summary=summary[:500],
        data=_masked(data or {}),
    )
