"""One append-only table of what happened: who, when, what, to which object, with which data.

Services write an event in the same transaction as the change they record, so a change without its
event cannot be committed (DEVELOPERS.md: every state change writes an audit event). Ballot choices
are never written here: only that a voter took part.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    at = models.DateTimeField(_("Thời điểm"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("Hành động"), max_length=80, db_index=True)  # e.g. "covenant.imported"
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=60, blank=True)
    summary = models.CharField(_("Nội dung"), max_length=500, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("Sự kiện nhật ký")
        verbose_name_plural = _("Nhật ký")
        indexes = [models.Index(fields=["target_type", "target_id"])]
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} {self.summary}"
