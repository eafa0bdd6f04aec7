"""Deadlines of a group-year and the e-mail reminders sent before them (issue #4).

`deadline_reminders_send` is the work; `tasks.send_deadline_reminders` runs it in the background
(Django's task framework), queued daily by `thidua remind` from cron or a systemd timer.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction

from thidua.audit.services import audit_log
from thidua.lib.dates import format_date
from thidua.org.models import GroupYear, Role, RoleAssignment, User
from thidua.reporting.models import EDITABLE, Deadline, Phase, UnitReport

# Who must act before each phase's deadline.
UNIT_PHASES = (Phase.DATA_ENTRY, Phase.SUBMISSION, Phase.CROSS_SCORING)


@transaction.atomic
def deadline_set(*, group_year: GroupYear, phase: str, due_on: dt.date | None, actor: User | None) -> None:
    """Set (or clear, with None) the deadline of one phase of a group-year."""
    if due_on is None:
        deleted, _ = Deadline.objects.filter(group_year=group_year, phase=phase).delete()
        if deleted:
            audit_log(action="deadline.cleared", actor=actor, target=group_year, summary=phase)
        return
    deadline, created = Deadline.objects.get_or_create(group_year=group_year, phase=phase, defaults={"due_on": due_on})
    if not created and deadline.due_on != due_on:
        deadline.due_on, deadline.reminded_on = due_on, None
        deadline.save(update_fields=["due_on", "reminded_on"])
    if created or deadline.due_on == due_on:
        audit_log(action="deadline.set", actor=actor, target=group_year, summary=f"{phase}: {due_on.isoformat()}",
                  data={"phase": phase, "due_on": due_on.isoformat()})


def _late_units(deadline: Deadline) -> list[int]:
    """Members that still have work to do: no report yet, or a report still open for editing."""
    members = set(deadline.group_year.memberships.values_list("unit_id", flat=True))
    done = set(
        UnitReport.objects.filter(covenant__group_year=deadline.group_year, unit_id__in=members)
        .exclude(status__in=EDITABLE).values_list("unit_id", flat=True)
    )
    return sorted(members - done)


def _recipients(deadline: Deadline) -> list[User]:
    """The people a reminder goes to, with an e-mail address."""
    group_year = deadline.group_year
    if deadline.phase in UNIT_PHASES:
        units = _late_units(deadline) if deadline.phase != Phase.CROSS_SCORING else \
            list(group_year.memberships.values_list("unit_id", flat=True))
        assignments = RoleAssignment.objects.filter(role__in=[Role.UNIT_OFFICER, Role.UNIT_HEAD], unit_id__in=units)
    else:
        assignments = RoleAssignment.objects.filter(role=Role.GROUP_LEADER_OFFICER, group=group_year.group) \
            .exclude(year__isnull=False, year__lt=group_year.year).exclude(year__gt=group_year.year)
    users = User.objects.filter(pk__in=assignments.values("user_id"), is_active=True).exclude(email="")
    return list(users.order_by("pk"))


def _message(deadline: Deadline, days_left: int, user: User) -> tuple[str, str, str, list[str]]:
    group_year = deadline.group_year
    when = "hôm nay là hạn cuối" if days_left == 0 else f"còn {days_left} ngày"
    subject = f"[Thi đua] {deadline.get_phase_display()}: {when} ({group_year.group.name}, năm {group_year.year})"
    body = (
        f"Kính gửi {user},\n\n"
        f"Hạn «{deadline.get_phase_display()}» của {group_year.group.name} năm {group_year.year} là ngày "
        f"{format_date(deadline.due_on)} ({when}).\n"
        "Đề nghị đồng chí hoàn thành đúng hạn trên hệ thống Thi đua – Khen thưởng.\n\n"
        "Thư này được gửi tự động; xin đừng trả lời."
    )
    return subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]


@transaction.atomic
def deadline_reminders_send(*, today: dt.date) -> int:
    """Send the reminders due today (THIDUA_REMINDER_DAYS before each deadline), once a day per
    deadline; returns how many e-mails were sent."""
    days = settings.THIDUA_REMINDER_DAYS
    due = Deadline.objects.filter(due_on__in=[today + dt.timedelta(days=d) for d in days]) \
        .exclude(reminded_on=today).select_related("group_year__group")
    messages = []
    for deadline in due:
        days_left = (deadline.due_on - today).days
        recipients = _recipients(deadline)
        messages.extend(_message(deadline, days_left, user) for user in recipients)
        deadline.reminded_on = today
        deadline.save(update_fields=["reminded_on"])
        audit_log(action="deadline.reminded", target=deadline.group_year, summary=deadline.get_phase_display(),
                  data={"phase": deadline.phase, "recipients": [u.pk for u in recipients], "days_left": days_left})
    if messages:
        send_mass_mail(messages, fail_silently=False)
    return len(messages)
