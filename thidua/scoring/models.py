"""Manual criteria are scored by people in stages (DOMAIN.md, cycle step 4): the unit's self
score, a cross score by the member the leader assigned, the leader's reconciliation when the two
differ by more than the covenant's margin, and the Board's appraised score, which is final.
The covenant's `Result.points` holds the score in force; these rows keep every stage."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from thidua.covenants.models import Covenant, Result
from thidua.org.models import Unit


class ScoreStage(models.TextChoices):
    SELF = "self", _("Tự chấm")
    CROSS = "cross", _("Chấm chéo")
    RECONCILED = "reconciled", _("Cụm trưởng thống nhất")
    APPRAISED = "appraised", _("Ban Thi đua – Khen thưởng thẩm định")


class ScoreEntry(models.Model):
    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="score_entries")
    stage = models.CharField(_("Bước chấm"), max_length=12, choices=ScoreStage.choices)
    points = models.DecimalField(_("Điểm"), max_digits=12, decimal_places=4)
    scorer_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(_("Lý do"), max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["result", "stage"], name="score_entry_one_per_stage")]


class CrossAssignment(models.Model):
    """`scorer` cross-scores `scored` on the covenant's manual criteria; never itself, and each
    unit is scored by exactly one other (issue #4)."""

    covenant = models.ForeignKey(Covenant, on_delete=models.CASCADE, related_name="cross_assignments")
    scorer = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    scored = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["covenant", "scored"], name="cross_scored_once"),
            models.UniqueConstraint(fields=["covenant", "scorer"], name="cross_scorer_once"),
            models.CheckConstraint(condition=~Q(scorer=F("scored")), name="cross_not_self"),
        ]
