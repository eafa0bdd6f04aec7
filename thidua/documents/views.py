"""The year-end report on the web: downloads (DOCX, PDF) and the page where the leader writes its text.

Scope: the group-year comes from the policy getter (404 outside scope; also 404 without a covenant,
there is nothing to report). Anyone who can read the group-year downloads the report; only the
leader's officers of that year and the Board in scope edit its text (403 for the others).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from thidua.audit.services import audit_log
from thidua.covenants.models import Covenant
from thidua.documents import report
from thidua.documents.models import ReportText
from thidua.org import policy
from thidua.org.models import GroupYear

EDITORS_ONLY = ("Chỉ cán bộ đơn vị cụm trưởng, khối trưởng năm nay và Ban Thi đua – Khen thưởng phụ trách "
                "được soạn báo cáo tổng kết.")
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
TEXT_FIELDS = ("number_symbol", "recipients", "signer_title", "signer_name", "weaknesses", "directions")


def can_edit_report(user, group_year: GroupYear) -> bool:
    return policy.can_review_reports(user, group_year) or policy.is_board_for(user, group_year)


def _data(group_year: GroupYear) -> report.ReportData:
    if not Covenant.objects.filter(group_year=group_year).exists():
        raise Http404(f"{group_year} chưa có giao ước thi đua nên chưa có báo cáo tổng kết.")
    return report.report_data(group_year=group_year)


@login_required
def report_download(request: HttpRequest, code: str, year: int, fmt: str) -> HttpResponse:
    group_year = policy.get_group_year_for_user(request.user, code=code, year=year)
    if fmt not in CONTENT_TYPES:
        raise Http404("Định dạng báo cáo không hỗ trợ.")
    try:
        data = _data(group_year)
    except report.ReportError as exc:  # e.g. a target of 0 the scoring refuses
        messages.error(request, f"Chưa lập được báo cáo tổng kết: {exc}")
        return redirect("group_year_detail", code, year)
    content = report.report_docx(data) if fmt == "docx" else report.report_pdf(data)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{data.file_stem}.{fmt}"'
    response["Cache-Control"] = "private, no-cache"
    return response


class ReportTextForm(forms.ModelForm):
    class Meta:
        model = ReportText
        fields = TEXT_FIELDS
        widgets = {
            "recipients": forms.Textarea(attrs={"rows": 4}),
            "signer_title": forms.Textarea(attrs={"rows": 2}),
            "weaknesses": forms.Textarea(attrs={"rows": 8}),
            "directions": forms.Textarea(attrs={"rows": 8}),
        }

    def clean(self):
        cleaned = super().clean()
        for name in TEXT_FIELDS:
            if isinstance(cleaned.get(name), str):
                cleaned[name] = cleaned[name].strip()
        return cleaned


@login_required
def report_edit(request: HttpRequest, code: str, year: int) -> HttpResponse:
    group_year = policy.get_group_year_for_user(request.user, code=code, year=year)
    if not can_edit_report(request.user, group_year):
        raise PermissionDenied(EDITORS_ONLY)
    text = ReportText.objects.filter(group_year=group_year).first() or ReportText(group_year=group_year)
    if request.method == "POST":
        before = {name: getattr(text, name) for name in TEXT_FIELDS}
        form = ReportTextForm(request.POST, instance=text)
        if form.is_valid():
            with transaction.atomic():
                saved = form.save(commit=False)
                saved.group_year, saved.updated_by = group_year, request.user
                saved.save()
                changed = [name for name in TEXT_FIELDS if getattr(saved, name) != before[name]]
                if changed:
                    audit_log(action="report.text_saved", actor=request.user, target=group_year,
                              summary=f"Soạn báo cáo tổng kết {group_year}",
                              data={"fields": changed})
            messages.success(request, "Đã lưu nội dung báo cáo tổng kết.")
            return redirect("report_edit", code, year)
    else:
        form = ReportTextForm(instance=text)
    data, error = None, ""
    has_covenant = Covenant.objects.filter(group_year=group_year).exists()
    if has_covenant:
        try:
            data = report.report_data(group_year=group_year)
        except report.ReportError as exc:
            error = str(exc)
    context = {
        "gy": group_year,
        "form": form,
        "data": data,
        "error": error,
        "has_covenant": has_covenant,
        "news": report.news_sentences(data) if data else [],
    }
    return render(request, "documents/report_edit.html", context)
