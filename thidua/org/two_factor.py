"""Two-factor authentication with django-otp: a TOTP app on the phone, and one-time recovery codes.

Issue #8: Board officers and council members must confirm every login with a code from an
authenticator app (RFC 6238 TOTP, 30-second steps); everyone else may opt in. Enrolment happens on
the first login (trust on first use): the user scans a QR code drawn on the server as SVG (no
script, strict CSP) and proves it works by typing one code; only then is the device confirmed and
ten recovery codes shown once. A user who already has a confirmed device can never enrol another
one without first passing the second factor, so a stolen password alone is not enough.
"""

from __future__ import annotations

from dataclasses import dataclass

import segno
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from thidua.audit.services import audit_log
from thidua.org import policy
from thidua.org.models import User

TOTP_NAME = "Ứng dụng xác thực"
RECOVERY_NAME = "Mã khôi phục"
RECOVERY_CODE_COUNT = 10


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_two_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_verified(request: HttpRequest) -> bool:
    """The session passed the second factor (django-otp's OTPMiddleware sets `is_verified`)."""
    check = getattr(request.user, "is_verified", None)
    return bool(check and check())


def needs_verification(user: User) -> bool:
    """Users who must pass the second factor before any page: the required roles, and anyone who
    opted in (has a confirmed device)."""
    return policy.requires_two_factor(user) or has_two_factor(user)


def may_enrol(request: HttpRequest) -> bool:
    """A new device may be enrolled by a user without one, or from a session that already passed
    the second factor; never with the password alone over an existing device."""
    return request.user.is_authenticated and (not has_two_factor(request.user) or is_verified(request))


_PENDING_DEVICE = "thidua_pending_totp_device"


def pending_totp_device(request: HttpRequest) -> TOTPDevice:
    """The unconfirmed device being enrolled in this session (a fresh key each enrolment).

    Bound to the session: a key shown to another session (someone else holding the password who
    opened the enrolment page and copied the key) is thrown away, never handed to the user who
    enrols next — otherwise that copy would give valid codes for the device they confirm."""
    user = request.user
    device = TOTPDevice.objects.filter(
        user=user, confirmed=False, pk=request.session.get(_PENDING_DEVICE, 0) or 0).first()
    if device is None:
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
        request.session[_PENDING_DEVICE] = device.pk
    return device


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (no data: URL, no script)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, border=2, dark="#000", light="#fff")


def secret_for_typing(device: TOTPDevice) -> str:
    """The base32 key in groups of four, for phones that cannot scan."""
    secret = device.config_url.split("secret=")[1].split("&")[0]
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def _elevate(request: HttpRequest, device) -> None:
    """Mark the session verified under a new session key (as Django does at the password step), so
    a session id seen before the second factor is worth nothing after it."""
    request.session.cycle_key()
    otp_login(request, device)


@dataclass(frozen=True)
class Verification:
    ok: bool
    wait_seconds: int = 0  # > 0: too many wrong codes, try again after this many seconds


def _throttled(device) -> int:
    allowed, data = device.verify_is_allowed()
    if allowed or not data or data.get("reason") != VerifyNotAllowed.N_FAILED_ATTEMPTS:
        return 0
    from django.utils import timezone

    return max(1, int((data["locked_until"] - timezone.now()).total_seconds()) + 1)


def _clean(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def enrol_confirm(*, request: HttpRequest, device: TOTPDevice, code: str) -> tuple[Verification, list[str]]:
    """Confirm the device being enrolled with one code; on success mark the session verified and
    return new recovery codes (shown once). Audit: two_factor.enrolled."""
    user = request.user
    if not may_enrol(request):
        raise PermissionError(gettext("Tài khoản đã có ứng dụng xác thực: cần xác thực hai bước trước."))
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(pk=device.pk, user=user, confirmed=False).first()
        if device is None:  # confirmed meanwhile (another tab) or not this user's
            return Verification(ok=False), []
        if (wait := _throttled(device)) or not device.verify_token(_clean(code)):
            return Verification(ok=False, wait_seconds=wait), []
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        codes = _new_recovery_codes(user)
        _elevate(request, device)
        audit_log(action="two_factor.enrolled", actor=user, target=user, summary=f"{user.username} bật xác thực hai bước")
    return Verification(ok=True), codes


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return codes


def recovery_codes_renew(*, request: HttpRequest) -> list[str]:
    """New recovery codes (the old ones stop working). Only for a verified session."""
    user = request.user
    if not is_verified(request) or not has_two_factor(user):
        raise PermissionError(gettext("Cần xác thực hai bước trước khi tạo mã khôi phục mới."))
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        audit_log(action="two_factor.recovery_codes_renewed", actor=user, target=user,
                  summary=f"{user.username} tạo mã khôi phục mới")
    return codes


def verify(*, request: HttpRequest, code: str) -> Verification:
    """Check a code from the app (6 digits) or a recovery code against the user's own confirmed
    devices; on success mark the session verified. Audit: two_factor.verified / two_factor.failed."""
    user = request.user
    code = _clean(code)
    with transaction.atomic():
        if code.isdigit():
            devices = list(TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True))
        else:
            devices = list(StaticDevice.objects.select_for_update().filter(user=user, confirmed=True))
        wait = 0
        for device in devices:
            if wait := _throttled(device):
                continue
            if code and device.verify_token(code):
                _elevate(request, device)
                audit_log(action="two_factor.verified", actor=user, target=user,
                          summary=f"{user.username} xác thực hai bước", data={"method": device.name})
                return Verification(ok=True)
    with transaction.atomic():
        audit_log(action="two_factor.failed", actor=user, target=user,
                  summary=f"{user.username} nhập sai mã xác thực hai bước", data={"throttled": bool(wait)})
    return Verification(ok=False, wait_seconds=wait)


def two_factor_disable(*, request: HttpRequest) -> None:
    """Turn two-factor off (only for users not required to use it, from a verified session)."""
    user = request.user
    if policy.requires_two_factor(user) or not is_verified(request):
        raise PermissionError(gettext("Vai trò của bạn bắt buộc xác thực hai bước."))
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        request.session.pop(DEVICE_ID_SESSION_KEY, None)
        audit_log(action="two_factor.disabled", actor=user, target=user, summary=f"{user.username} tắt xác thực hai bước")
