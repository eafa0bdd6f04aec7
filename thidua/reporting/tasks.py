"""Background tasks of the reporting stage (Django's task framework; `thidua db_worker` runs them)."""

from __future__ import annotations

import datetime as dt

from django.tasks import task
from django.utils import timezone

from thidua.reporting.reminders import deadline_reminders_send


@task
def send_deadline_reminders(today: str | None = None) -> int:
    """Send today's deadline reminders. `today` is an ISO date (task arguments travel as JSON)."""
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    return deadline_reminders_send(today=day)
