"""Personal API tokens (issue #8): a secret shown once, stored only as its SHA-256 hash.

A token acts exactly as its user (thidua.org.policy decides what it may see and change); it grants
nothing more. `prefix` (the secret's first 8 characters) is stored in clear so that people can tell
their tokens apart and revoke one by it; it is not enough to use the token.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

PREFIX_LENGTH = 8


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Người dùng"), on_delete=models.CASCADE,
                             related_name="api_tokens")
    name = models.CharField(_("Tên gợi nhớ"), max_length=100)
    prefix = models.CharField(_("Tiền tố"), max_length=PREFIX_LENGTH, unique=True)
    token_hash = models.CharField(max_length=64, unique=True)  # sha256 hex of the secret
    created_at = models.DateTimeField(_("Ngày tạo"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("Lần dùng gần nhất"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("Ngày thu hồi"), null=True, blank=True)

    class Meta:
        verbose_name = _("Mã truy cập API")
        verbose_name_plural = _("Mã truy cập API")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
