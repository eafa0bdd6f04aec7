"""Deadlines per phase, the dashboard countdown, and e-mail reminders sent by a background task."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from tests.factories import TEST_PASSWORD
from thidua.reporting.models import Deadline, Phase
from thidua.reporting.reminders import deadline_reminders_send, deadline_set
from thidua.reporting.services import report_for, report_submit

DUE = dt.date(2024, 12, 15)


@pytest.fixture
def with_emails(world):
    for name in ("officer_a", "head_a", "officer_b", "leader_g1_2024"):
        user = getattr(world, name)
        user.email = f"{name}@example.vn"
        user.save()
    return world


def test_reminders_go_to_units_that_have_not_submitted(with_emails, g1_covenant):
    deadline_set(group_year=with_emails.g1_2024, phase=Phase.SUBMISSION, due_on=DUE, actor=None)
    report_submit(report=report_for(covenant=g1_covenant, unit=with_emails.a), actor=with_emails.head_a)
    sent = deadline_reminders_send(today=DUE - dt.timedelta(days=3))
    assert sent == 1
    message = mail.outbox[0]
    assert message.to == ["officer_b@example.vn"]
    assert "còn 3 ngày" in message.subject and "15/12/2024" in message.body


def test_reminders_are_sent_once_a_day_and_only_on_reminder_days(with_emails, g1_covenant):
    deadline_set(group_year=with_emails.g1_2024, phase=Phase.SUBMISSION, due_on=DUE, actor=None)
    assert deadline_reminders_send(today=DUE - dt.timedelta(days=5)) == 0
    assert deadline_reminders_send(today=DUE) == 3
    assert deadline_reminders_send(today=DUE) == 0
    assert "hôm nay là hạn cuối" in mail.outbox[0].subject


def test_the_review_deadline_reminds_the_leaders_officers(with_emails, g1_covenant):
    deadline_set(group_year=with_emails.g1_2024, phase=Phase.REVIEW, due_on=DUE, actor=None)
    deadline_reminders_send(today=DUE - dt.timedelta(days=1))
    assert [m.to for m in mail.outbox] == [["leader_g1_2024@example.vn"]]


@pytest.mark.django_db(transaction=True)  # the worker closes its connection between tasks, as in production
def test_the_remind_command_queues_a_task_that_the_worker_runs(with_emails, g1_covenant, settings, capsys):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    deadline_set(group_year=with_emails.g1_2024, phase=Phase.SUBMISSION, due_on=DUE, actor=None)
    call_command("remind", "--date", (DUE - dt.timedelta(days=7)).isoformat())
    assert "xếp hàng" in capsys.readouterr().out
    assert mail.outbox == []  # nothing sent until the background worker runs
    call_command("db_worker", "--batch")
    assert len(mail.outbox) == 3


def test_the_dashboard_counts_down_to_the_next_deadline(client, with_emails, g1_covenant):
    today = dt.date.today()
    deadline_set(group_year=with_emails.g1_2024, phase=Phase.SUBMISSION, due_on=today + dt.timedelta(days=5), actor=None)
    assert client.login(username="officer_a", password=TEST_PASSWORD)
    page = client.get(reverse("dashboard") + "?nam=2024").content.decode()
    assert "Còn 5 ngày" in page and "Gửi báo cáo" in page


def test_the_leader_sets_deadlines_on_the_group_overview(client, with_emails, g1_covenant):
    assert client.login(username="leader_g1_2024", password=TEST_PASSWORD)
    response = client.post(reverse("group_data", args=("G1", 2024)), {"submission": "2024-12-15", "review": "20/12/2024"})
    assert response.status_code == 302
    assert dict(Deadline.objects.values_list("phase", "due_on")) == {"submission": DUE, "review": dt.date(2024, 12, 20)}
    client.post(reverse("group_data", args=("G1", 2024)), {"submission": "31/02/2024"}, follow=True)
    assert Deadline.objects.filter(phase="submission").get().due_on == DUE
