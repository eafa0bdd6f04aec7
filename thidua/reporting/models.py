"""Reporting through the year (DOMAIN.md, cycle step 3): each member unit's report on the covenant,
its workflow, the history of every figure, its evidence, and the deadlines of the group-year.

The figures themselves are `covenants.Result` rows (one per unit × criterion); this app adds who
may change them when, and what happened to them.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from thidua.covenants.models import Covenant, Result
from thidua.org.models import GroupYear, Unit


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Đang nhập số liệu")
    SUBMITTED = "submitted", _("Đã gửi, chờ cụm trưởng xem xét")
    RETURNED = "returned", _("Bị trả lại để sửa")
    ACCEPTED = "accepted", _("Đã được chấp nhận")
    LOCKED = "locked", _("Đã khóa số liệu")


# Statuses in which the unit may change its figures.
EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)


class UnitReport(models.Model):
    """A member unit's report for a group-year's covenant: draft → submitted → accepted (or returned
    with a reason) → locked; the Board may reopen an accepted or locked report with a reason."""

    covenant = models.ForeignKey(Covenant, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reports")
    status = models.CharField(_("Trạng thái"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    reason = models.CharField(_("Lý do"), max_length=500, blank=True)  # of the last return or reopening
    changed_at = models.DateTimeField(_("Thời điểm"), null=True, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    accepted_once = models.BooleanField(default=False)  # accepted at least once: later edits are counted
    changes_after_acceptance = models.PositiveIntegerField(_("Số lần sửa sau khi chấp nhận"), default=0)

    class Meta:
        verbose_name = _("Báo cáo của đơn vị")
        verbose_name_plural = _("Báo cáo của đơn vị")
        constraints = [models.UniqueConstraint(fields=["covenant", "unit"], name="unit_report_unique")]

    def __str__(self) -> str:
        return f"{self.unit} – {self.covenant.group_year}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE


class ReportTransition(models.Model):
    """One move of a report's workflow, with who, when and why."""

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=10, choices=ReportStatus.choices)
    to_status = models.CharField(max_length=10, choices=ReportStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]


class ChangeSource(models.TextChoices):
    WEB = "web", _("Màn hình nhập liệu")
    EXCEL = "excel", _("Tệp Excel")
    FILE = "file", _("Tệp giao ước")
    API = "api", _("API")
    SCORING = "scoring", _("Chấm điểm")


class ResultChange(models.Model):
    """The history of one figure: who changed which field, when, from what to what, and why."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(max_length=20)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    reason = models.CharField(max_length=500, blank=True)
    source = models.CharField(max_length=10, choices=ChangeSource.choices, default=ChangeSource.WEB)
    after_acceptance = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at", "-id"]


def _evidence_path(instance: "Evidence", filename: str) -> str:
    """A random name under evidence/: the original name is kept in the row, never in the path."""
    return f"evidence/{uuid.uuid4().hex}"


class Evidence(models.Model):
    """A supporting document (minh chứng) for one figure, kept outside the static tree."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=_evidence_path, max_length=200)
    original_name = models.CharField(_("Tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]


class Phase(models.TextChoices):
    DATA_ENTRY = "data_entry", _("Nhập số liệu")
    SUBMISSION = "submission", _("Gửi báo cáo")
    REVIEW = "review", _("Cụm trưởng xem xét, chấp nhận")
    CROSS_SCORING = "cross_scoring", _("Chấm chéo")
    CONFERENCE = "conference", _("Hội nghị tổng kết")


class Deadline(models.Model):
    group_year = models.ForeignKey(GroupYear, on_delete=models.CASCADE, related_name="deadlines")
    phase = models.CharField(_("Giai đoạn"), max_length=20, choices=Phase.choices)
    due_on = models.DateField(_("Hạn"))
    reminded_on = models.DateField(null=True, blank=True)  # the last day reminders were sent

    class Meta:
        ordering = ["due_on"]
        constraints = [models.UniqueConstraint(fields=["group_year", "phase"], name="deadline_unique_phase")]
