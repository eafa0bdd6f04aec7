"""Logins, logouts, failed logins and lockouts in the audit log (issue #8).

Connected in AuditConfig.ready(). Each event is written in its own transaction (audit_log requires
one). Never the password: from a failed login's credentials only the username is kept (Django has
already masked the password, and audit_log masks any key that looks like one as well).
"""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction

from thidua.audit.services import audit_log


def _client(request) -> dict[str, str]:
    if request is None:
        return {}
    address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    return {"ip": address or "", "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200]}


def _user_named(username: str):
    if not username:
        return None
    return get_user_model().objects.filter(username=username).first()


def on_logged_in(sender, request, user, **kwargs) -> None:
    with transaction.atomic():
        audit_log(action="auth.logged_in", actor=user, target=user, summary=f"{user.username} đăng nhập",
                  data=_client(request))


def on_logged_out(sender, request, user, **kwargs) -> None:
    if user is None:  # logging out an anonymous session
        return
    with transaction.atomic():
        audit_log(action="auth.logged_out", actor=user, target=user, summary=f"{user.username} đăng xuất",
                  data=_client(request))


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = str(credentials.get("username") or "")[:150]
    user = _user_named(username)
    data = {"username": username, **_client(request),
            "locked_out": bool(getattr(request, "axes_locked_out", False))}
    with transaction.atomic():
        audit_log(action="auth.login_failed", target=user, summary=f"Đăng nhập không thành công: {username}", data=data)


def on_locked_out(sender, request, username, ip_address, **kwargs) -> None:
    username = str(username or "")[:150]
    data = {"username": username, **_client(request), "ip": ip_address or ""}
    with transaction.atomic():
        audit_log(action="auth.locked_out", target=_user_named(username),
                  summary=f"Tạm khóa đăng nhập: {username} từ {ip_address or '?'}", data=data)


def connect() -> None:
    user_logged_in.connect(on_logged_in, dispatch_uid="thidua.audit.logged_in")
    user_logged_out.connect(on_logged_out, dispatch_uid="thidua.audit.logged_out")
    user_login_failed.connect(on_login_failed, dispatch_uid="thidua.audit.login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="thidua.audit.locked_out")
