"""Account pages: the second factor (enrol, verify, recovery codes), the account page, password change.

Thin: the rules live in thidua.org.two_factor and thidua.org.policy; these views adapt forms.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from thidua.audit.services import audit_log
from thidua.org import policy, two_factor

_NEW_CODES = "thidua_new_recovery_codes"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Mã xác thực"), max_length=32, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("dashboard")


def _wait_message(wait: int) -> str:
    return _("Nhập sai nhiều lần: xin thử lại sau %(seconds)d giây.") % {"seconds": wait}


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The code step of every login for users with a device (required roles and opt-ins)."""
    if two_factor.is_verified(request):
        return redirect(_next_url(request))
    if not two_factor.has_two_factor(request.user):
        return redirect(f"{reverse('two_factor_enrol')}?{request.GET.urlencode()}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = two_factor.verify(request=request, code=form.cleaned_data["code"])
        if result.ok:
            return redirect(_next_url(request))
        form.add_error("code", _wait_message(result.wait_seconds) if result.wait_seconds else
                       _("Mã không đúng hoặc đã hết hạn. Xin nhập mã đang hiện trên ứng dụng (hoặc một mã khôi phục)."))
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": _next_url(request)})


@login_required
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Enrolment: scan the QR code, type one code; then the recovery codes are shown once."""
    if not two_factor.may_enrol(request):
        return redirect(f"{reverse('two_factor_verify')}?{request.GET.urlencode()}")
    device = two_factor.pending_totp_device(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result, codes = two_factor.enrol_confirm(request=request, device=device, code=form.cleaned_data["code"])
        if result.ok:
            request.session[_NEW_CODES] = codes
            return redirect(f"{reverse('two_factor_recovery_codes')}?{urlencode({'next': _next_url(request)})}")
        form.add_error("code", _wait_message(result.wait_seconds) if result.wait_seconds else
                       _("Mã không đúng. Kiểm tra giờ của điện thoại và nhập mã đang hiện trên ứng dụng."))
    context = {
        "form": form, "next": _next_url(request), "qr_svg": two_factor.qr_svg(device),
        "secret": two_factor.secret_for_typing(device), "required": policy.requires_two_factor(request.user),
    }
    return render(request, "registration/two_factor_enrol.html", context)


@login_required
def two_factor_recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes: shown once after enrolment, or made anew (POST) from the account page."""
    if request.method == "POST":
        try:
            codes = two_factor.recovery_codes_renew(request=request)
        except PermissionError as error:
            messages.error(request, str(error))
            return redirect("account_security")
    else:
        codes = request.session.pop(_NEW_CODES, None)
        if not codes:
            return redirect("account_security")
    return render(request, "registration/two_factor_recovery_codes.html", {"codes": codes, "next": _next_url(request)})


@login_required
@require_POST
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    try:
        two_factor.two_factor_disable(request=request)
    except PermissionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã tắt xác thực hai bước."))
    return redirect("account_security")


@login_required
def account_security(request: HttpRequest) -> HttpResponse:
    context = {
        "has_two_factor": two_factor.has_two_factor(request.user),
        "required": policy.requires_two_factor(request.user),
        "verified": two_factor.is_verified(request),
    }
    return render(request, "registration/account_security.html", context)


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form with Vietnamese labels and messages."""

    error_messages = {
        "password_incorrect": gettext_lazy("Mật khẩu hiện tại không đúng. Xin nhập lại."),
        "password_mismatch": gettext_lazy("Hai lần nhập mật khẩu mới không khớp nhau."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Mật khẩu hiện tại")
        self.fields["new_password1"].label = _("Mật khẩu mới")
        self.fields["new_password2"].label = _("Nhập lại mật khẩu mới")


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            audit_log(action="auth.password_changed", actor=self.request.user, target=self.request.user,
                      summary=f"{self.request.user.username} đổi mật khẩu")
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' lockout answer (AXES_LOCKOUT_CALLABLE): a Vietnamese page, 429, naming the
    cool-off; the lockout is for this username from this address only (settings: lockout)."""
    from django.conf import settings

    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)),
    }
    return render(request, "registration/locked_out.html", context, status=429)
