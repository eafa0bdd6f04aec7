"""Deployment checks of our own, run by `thidua check --deploy` next to Django's (issue #8)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register

DEV_KEY_PREFIX = "thidua-dev-only-key"


@register(Tags.security, deploy=True)
def check_secret_key_from_environment(app_configs, **kwargs):
    """Django's own check accepts our development key (long and varied enough), so name it here."""
    if str(settings.SECRET_KEY).startswith(DEV_KEY_PREFIX):
        return [Warning(
            "SECRET_KEY là khóa dùng cho phát triển: đặt THIDUA_SECRET_KEY (ít nhất 50 ký tự ngẫu nhiên).",
            hint="python -c 'import secrets; print(secrets.token_urlsafe(64))'",
            id="thidua.W001",
        )]
    return []


@register(Tags.security, deploy=True)
def check_two_factor_middleware(app_configs, **kwargs):
    """The second factor is enforced by middleware: without it, Board accounts would need only a password."""
    middleware = list(settings.MIDDLEWARE)
    required = ["django_otp.middleware.OTPMiddleware", "thidua.org.middleware.TwoFactorRequiredMiddleware"]
    if not all(name in middleware for name in required) or middleware.index(required[0]) > middleware.index(required[1]):
        return [Warning("Thiếu middleware xác thực hai bước (OTPMiddleware rồi TwoFactorRequiredMiddleware).", id="thidua.W002")]
    return []
