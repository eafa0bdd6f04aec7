"""Personal API tokens: create (the secret is returned once), revoke, and authenticate a secret.

Only the SHA-256 hash of a secret is stored; the audit records the token's name and prefix, never
the secret. A secret is looked up by its prefix and its hash compared in constant time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from thidua.api.models import PREFIX_LENGTH, ApiToken
from thidua.audit.services import audit_log
from thidua.org.models import User

SECRET_BYTES = 32  # token_urlsafe(32): 43 characters, 256 bits
_SECRET_SHAPE = re.compile(r"[A-Za-z0-9_-]{20,100}")
# last_used_at is written at most once a minute per token: reads stay reads.
TOUCH_EVERY = dt.timedelta(seconds=60)


class ApiTokenError(ValueError):
    """A token change the rules refuse; the message is for the user, in Vietnamese."""


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def token_create(*, user: User, name: str, actor: User | None = None) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it with its secret, which is not stored and cannot be shown
    again. `actor` is who asked (None: the system, e.g. the `thidua api-token` command)."""
    name = (name or "").strip()
    if not name:
        raise ApiTokenError("Hãy đặt tên gợi nhớ cho mã truy cập (ví dụ: «Phần mềm tổng hợp của Sở»).")
    if len(name) > 100:
        raise ApiTokenError("Tên gợi nhớ dài quá 100 ký tự.")
    if not user.is_active:
        raise ApiTokenError(f"Tài khoản {user.username} đang bị khóa; không tạo được mã truy cập.")
    for _attempt in range(5):
        secret = secrets.token_urlsafe(SECRET_BYTES)
        try:
            with transaction.atomic():
                token = ApiToken.objects.create(user=user, name=name, prefix=secret[:PREFIX_LENGTH],
                                                token_hash=hash_secret(secret))
            break
        except IntegrityError:  # the same prefix already exists (about 1 in 2^48): draw again
            continue
    else:  # pragma: no cover - five collisions in a row
        raise ApiTokenError("Không tạo được mã truy cập; hãy thử lại.")
    audit_log(action="api_token.created", actor=actor, target=token,
              summary=f"Mã truy cập «{name}» ({token.prefix}…) cho {user.username}",
              data={"user": user.username, "name": name, "prefix": token.prefix})
    return token, secret


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: User | None) -> ApiToken:
    """Revoke a token for good (race-safe: only the first revocation counts)."""
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token.refresh_from_db()
    if updated != 1:
        when = timezone.localtime(token.revoked_at).strftime("%d/%m/%Y %H:%M")
        raise ApiTokenError(f"Mã truy cập {token.prefix}… đã bị thu hồi từ {when}.")
    audit_log(action="api_token.revoked", actor=actor, target=token,
              summary=f"Thu hồi mã truy cập «{token.name}» ({token.prefix}…) của {token.user.username}",
              data={"user": token.user.username, "name": token.name, "prefix": token.prefix})
    return token


def user_for_secret(secret: str) -> User | None:
    """The active user a valid, unrevoked secret belongs to; None for anything else."""
    if not secret or not _SECRET_SHAPE.fullmatch(secret):
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=secret[:PREFIX_LENGTH]).first()
    if token is None or not hmac.compare_digest(token.token_hash, hash_secret(secret)):
        return None
    if token.revoked_at is not None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def tokens_of(user: User | None = None) -> list[ApiToken]:
    tokens = ApiToken.objects.select_related("user")
    return list(tokens.filter(user=user) if user is not None else tokens)
