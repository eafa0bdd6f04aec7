"""Signing the covenant on screen, and the covenant's PDF and DOCX. Thin: policy → form → service.

Anyone who may read the group-year sees who has signed; unit heads of member units get a form for
each of their units that has not signed yet. Outside scope: 404; a post by someone who does not
head the unit: 403.
"""

from __future__ import annotations

import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from thidua.conference import signing
from thidua.covenants.models import Covenant, CovenantStatus
from thidua.documents import covenant_docx as covenant_document
from thidua.lib.dates import format_date
from thidua.org import policy
from thidua.org.models import GroupYear, Unit

DATE_HELP = "dd/mm/yyyy"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class SignatureForm(forms.Form):
    signer_name = forms.CharField(
        label="Họ và tên người ký", max_length=signing.NAME_MAX,
        error_messages={"required": "Nhập họ và tên người ký."},
    )
    position = forms.CharField(
        label="Chức vụ", max_length=signing.NAME_MAX,
        error_messages={"required": "Nhập chức vụ của người ký."},
        widget=forms.TextInput(attrs={"placeholder": "Ví dụ: Chủ tịch UBND huyện"}),
    )
    signed_on = forms.DateField(
        label="Ngày ký", input_formats=["%d/%m/%Y"],
        error_messages={"required": "Nhập ngày ký.", "invalid": "Nhập ngày ký theo dạng dd/mm/yyyy, ví dụ 24/01/2024."},
        widget=forms.TextInput(attrs={"placeholder": DATE_HELP, "inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args, unit: Unit, **kwargs):
        kwargs.setdefault("prefix", f"u{unit.pk}")
        super().__init__(*args, **kwargs)
        self.unit = unit


def _covenant(group_year: GroupYear) -> Covenant:
    covenant = Covenant.objects.filter(group_year=group_year).select_related("group_year__group").first()
    if covenant is None:
        raise Http404("Cụm, khối này chưa có giao ước trong năm.")
    return covenant


def _blank_form(request: HttpRequest, unit: Unit) -> SignatureForm:
    initial = {"signer_name": getattr(request.user, "full_name", "") or "",
               "signed_on": format_date(timezone.localdate())}
    return SignatureForm(unit=unit, initial=initial)


@login_required
@require_http_methods(["GET", "POST"])
def covenant_signing(request: HttpRequest, code: str, year: int) -> HttpResponse:
    group_year = policy.get_group_year_for_user(request.user, code=code, year=year)
    covenant = _covenant(group_year)
    rows = signing.covenant_signature_rows(covenant)
    signed = {row.unit.pk for row in rows if row.signature}
    heads_of = signing.units_user_signs_for(request.user, covenant)
    open_for_signing = covenant.status in signing.SIGNABLE

    forms_by_unit: dict[int, SignatureForm] = {}
    if request.method == "POST":
        unit = next((row.unit for row in rows if row.unit.code == request.POST.get("unit")), None)
        if unit is None:
            raise Http404("Đơn vị này không phải là thành viên của cụm, khối trong năm.")
        if not any(u.pk == unit.pk for u in heads_of):
            raise signing.SigningForbidden("Chỉ thủ trưởng đơn vị được ký giao ước cho đơn vị mình.")
        form = SignatureForm(request.POST, unit=unit)
        was_draft = covenant.status == CovenantStatus.DRAFT
        if form.is_valid():
            data = form.cleaned_data
            try:
                signing.covenant_signature_add(
                    covenant=covenant, unit=unit, signer_name=data["signer_name"], position=data["position"],
                    signed_on=data["signed_on"], actor=request.user,
                )
            except signing.SigningError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"{unit.name} đã ký giao ước thi đua năm {year}.")
                if was_draft and covenant.status == CovenantStatus.SIGNED:
                    messages.success(request, "Tất cả đơn vị thành viên đã ký; giao ước đã được ký kết.")
                return redirect("covenant_signing", code=code, year=year)
        forms_by_unit[unit.pk] = form

    if open_for_signing:
        for unit in heads_of:
            if unit.pk not in signed and unit.pk not in forms_by_unit:
                forms_by_unit[unit.pk] = _blank_form(request, unit)
    context = {
        "gy": group_year,
        "covenant": covenant,
        "rows": rows,
        "signed_count": len(signed),
        "forms": list(forms_by_unit.values()),
        "is_head": bool(heads_of),
        "open_for_signing": open_for_signing,
    }
    return render(request, "conference/signing_page.html", context)


@login_required
@require_GET
def covenant_pdf(request: HttpRequest, code: str, year: int) -> HttpResponse:
    group_year = policy.get_group_year_for_user(request.user, code=code, year=year)
    covenant = _covenant(group_year)
    response = HttpResponse(signing.covenant_pdf(covenant), content_type="application/pdf")
    safe_code = re.sub(r"[^A-Za-z0-9_-]", "-", group_year.group.code)
    response["Content-Disposition"] = f'inline; filename="giao-uoc-{safe_code}-{year}.pdf"'
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_GET
def covenant_docx(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The same covenant as the PDF, as DOCX for editing; the same access rule (404 outside scope)."""
    group_year = policy.get_group_year_for_user(request.user, code=code, year=year)
    covenant = _covenant(group_year)
    response = HttpResponse(covenant_document.covenant_docx(covenant=covenant), content_type=DOCX)
    safe_code = re.sub(r"[^A-Za-z0-9_-]", "-", group_year.group.code)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"giao-uoc-{safe_code}-{year}.docx")
    response["Cache-Control"] = "private, no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    return response
