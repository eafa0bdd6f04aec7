"""The covenant (giao ước thi đua) of a group-year: contents → criteria, per-unit results, adjustments.

Mirrors COVENANT_FORMAT.md: what the file holds, these tables hold, so import → export → import
loses nothing. Figures are Decimals (PostgreSQL numeric; SQLite keeps them as REAL, read back
exactly for up to 15 significant digits). Method parameters are stored as decimal strings.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thidua.org.models import GroupYear, Unit
from thidua.scoring.methods import AGGREGATE_LABELS_VI, DIRECTION_LABELS_VI, METHOD_LABELS_VI

FIGURE = {"max_digits": 24, "decimal_places": 6, "null": True, "blank": True}
POINTS = {"max_digits": 12, "decimal_places": 4}


class CovenantStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SIGNED = "signed", _("Đã ký kết")
    CLOSED = "closed", _("Đã tổng kết")


class Covenant(models.Model):
    group_year = models.OneToOneField(GroupYear, on_delete=models.PROTECT, related_name="covenant")
    scale = models.DecimalField(_("Điểm chuẩn"), max_digits=8, decimal_places=2, default=Decimal(1000))
    status = models.CharField(_("Trạng thái"), max_length=10, choices=CovenantStatus.choices, default=CovenantStatus.DRAFT)
    signed_on = models.DateField(_("Ngày ký kết"), null=True, blank=True)
    # Self and cross scores further apart than this share of the criterion's points need the
    # leader's reconciliation (issue #4; a group regulation may set another margin).
    cross_margin_pct = models.DecimalField(_("Chênh lệch tự chấm – chấm chéo tối đa (%)"), max_digits=5,
                                           decimal_places=2, default=Decimal(10))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Giao ước thi đua")
        verbose_name_plural = _("Giao ước thi đua")

    def __str__(self) -> str:
        return f"Giao ước {self.group_year}"

    @property
    def is_frozen(self) -> bool:
        """A signed (or closed) covenant changes only through a recorded amendment."""
        return self.status != CovenantStatus.DRAFT


class Content(models.Model):
    covenant = models.ForeignKey(Covenant, on_delete=models.CASCADE, related_name="contents")
    code = models.CharField(_("Mã nội dung"), max_length=20)
    title = models.CharField(_("Nội dung"), max_length=500)
    max_points = models.DecimalField(_("Điểm tối đa"), **POINTS)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["covenant", "code"], name="content_code_unique")]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class Criterion(models.Model):
    covenant = models.ForeignKey(Covenant, on_delete=models.CASCADE, related_name="criteria")
    content = models.ForeignKey(Content, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("Mã tiêu chí"), max_length=20)
    title = models.CharField(_("Tiêu chí"), max_length=500)
    max_points = models.DecimalField(_("Điểm tối đa"), **POINTS)
    measure = models.CharField(_("Đơn vị tính"), max_length=50, blank=True)
    direction = models.CharField(_("Chiều đánh giá"), max_length=10, choices=list(DIRECTION_LABELS_VI.items()), default="higher")
    aggregate = models.CharField(_("Tổng hợp"), max_length=10, choices=list(AGGREGATE_LABELS_VI.items()), default="none")
    method = models.CharField(_("Phương pháp chấm"), max_length=20, choices=list(METHOD_LABELS_VI.items()))
    params = models.JSONField(_("Tham số"), default=dict, blank=True)
    requires_evidence = models.BooleanField(_("Bắt buộc có minh chứng"), default=False)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["content__order", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["covenant", "code"], name="criterion_code_unique")]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"

    @property
    def decimal_params(self) -> dict[str, Decimal | str]:
        """Params as the engine wants them: numbers as Decimal, `by` as a word."""
        return {key: value if key == "by" else Decimal(value) for key, value in self.params.items()}


class Result(models.Model):
    """One unit × criterion: target (kế hoạch), actual (thực hiện), baseline (kỳ trước), manual points."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="results")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="results")
    target = models.DecimalField(_("Kế hoạch"), **FIGURE)
    actual = models.DecimalField(_("Thực hiện"), **FIGURE)
    baseline = models.DecimalField(_("Kỳ trước"), **FIGURE)
    points = models.DecimalField(_("Điểm"), null=True, blank=True, **POINTS)
    note = models.TextField(_("Ghi chú"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)  # optimistic concurrency for data entry
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["criterion", "unit"], name="result_unique"),
            models.CheckConstraint(condition=Q(target__isnull=True) | Q(target__gte=0), name="result_target_not_negative"),
        ]


class Adjustment(models.Model):
    """Bonus (+) or penalty (−) points with the reason (điểm thưởng / điểm trừ)."""

    covenant = models.ForeignKey(Covenant, on_delete=models.CASCADE, related_name="adjustments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="adjustments")
    points = models.DecimalField(_("Điểm"), **POINTS)
    reason = models.CharField(_("Lý do"), max_length=500)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]


class Amendment(models.Model):
    """A recorded change to a signed covenant: every member sees what changed and why."""

    covenant = models.ForeignKey(Covenant, on_delete=models.CASCADE, related_name="amendments")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(_("Lý do sửa đổi"), max_length=500)
    summary = models.TextField(_("Nội dung sửa đổi"))

    class Meta:
        ordering = ["at", "id"]
