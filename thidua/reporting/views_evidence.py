"""Evidence of a unit's figures: upload, delete (htmx or plain forms) and download through the policy.

Outside the user's scope everything is 404 (the policy getters); inside it, changing needs
`can_enter_unit_data` and downloading `can_view_unit_report`, else 403. Files never get a public
URL: the download view streams them as attachments with the sniffed type.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from thidua.covenants.models import Covenant, Criterion, Result
from thidua.org import policy
from thidua.org.models import GroupYear, Membership, Unit
from thidua.reporting.evidence import CHANGE_DENIED, clean_name, evidence_add, evidence_remove, format_size, max_bytes
from thidua.reporting.models import Evidence
from thidua.reporting.services import ReportingError

def _scope(request: HttpRequest, code: str, year: int, unit_code: str) -> tuple[GroupYear, Unit]:
    """The group-year and the member unit, 404 unless both are in the user's scope."""
    group_year = policy.get_group_year_for_user(request.user, code=code, year=year)
    unit = policy.get_unit_for_user(request.user, code=unit_code)
    if not Membership.objects.filter(group_year=group_year, unit=unit).exists():
        raise Http404("Đơn vị này không thuộc cụm, khối thi đua trong năm.")
    return group_year, unit


def _may_change(request: HttpRequest, unit: Unit) -> None:
    if not policy.can_enter_unit_data(request.user, unit):
        raise PermissionDenied(CHANGE_DENIED)


def _evidence(group_year: GroupYear, unit: Unit, evidence_id: int) -> Evidence:
    evidence = (
        Evidence.objects.select_related("result__criterion__covenant", "result__unit")
        .filter(pk=evidence_id, result__unit=unit, result__criterion__covenant__group_year=group_year)
        .first()
    )
    if evidence is None:
        raise Http404("Không tìm thấy minh chứng này.")
    return evidence


def _respond(request: HttpRequest, *, group_year: GroupYear, unit: Unit, criterion: Criterion,
             error: str = "", success: str = "") -> HttpResponse:
    """htmx: the re-rendered evidence cell (errors inside it, status 200 so htmx swaps it);
    otherwise a message and a redirect back to the data-entry screen."""
    if request.htmx:
        context = {
            "gy": group_year,
            "unit": unit,
            "criterion": criterion,
            "result": Result.objects.filter(criterion=criterion, unit=unit).prefetch_related("evidence").first(),
            "can_edit": True,  # only those who may change reach here
            "error": error,
        }
        return render(request, "reporting/_evidence_cell.html", context)
    if error:
        messages.error(request, error)
    elif success:
        messages.success(request, success)
    return redirect(reverse("data_entry", args=(group_year.group.code, group_year.year, unit.code)))


class _SizeLimit(FileUploadHandler):
    """Stops reading a file past the evidence limit: a 50 MB upload never reaches the disk. The
    request keeps the file's name to say which file was too large."""

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > max_bytes():
            self.request.evidence_too_large = clean_name(self.file_name)
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


@csrf_exempt  # only so the size guard is in place before the body is read; checked just below
def evidence_upload(request: HttpRequest, code: str, year: int, unit: str, criterion: str) -> HttpResponse:
    request.upload_handlers.insert(0, _SizeLimit(request))
    return _evidence_upload(request, code=code, year=year, unit=unit, criterion=criterion)


@csrf_protect
@login_required
@require_POST
def _evidence_upload(request: HttpRequest, code: str, year: int, unit: str, criterion: str) -> HttpResponse:
    group_year, member = _scope(request, code, year, unit)
    _may_change(request, member)
    covenant = Covenant.objects.filter(group_year=group_year).first()
    found = Criterion.objects.filter(covenant=covenant, code=criterion).select_related("covenant").first()
    if covenant is None or found is None:
        raise Http404("Không tìm thấy tiêu chí này trong giao ước.")
    upload = request.FILES.get("file")  # reads the body, through the size guard
    if too_large := getattr(request, "evidence_too_large", None):
        return _respond(request, group_year=group_year, unit=member, criterion=found,
                        error=f"«{too_large}» vượt giới hạn {format_size(max_bytes())} cho mỗi minh chứng.")
    if upload is None:
        return _respond(request, group_year=group_year, unit=member, criterion=found,
                        error="Chưa chọn tệp minh chứng để tải lên.")
    try:
        evidence = evidence_add(criterion=found, unit=member, upload=upload, actor=request.user)
    except ReportingError as exc:
        return _respond(request, group_year=group_year, unit=member, criterion=found, error=str(exc))
    return _respond(request, group_year=group_year, unit=member, criterion=found,
                    success=f"Đã tải lên minh chứng «{evidence.original_name}» cho tiêu chí {found.code}.")


@login_required
@require_POST
def evidence_delete(request: HttpRequest, code: str, year: int, unit: str, evidence_id: int) -> HttpResponse:
    group_year, member = _scope(request, code, year, unit)
    _may_change(request, member)
    evidence = _evidence(group_year, member, evidence_id)
    criterion = evidence.result.criterion
    try:
        evidence_remove(evidence=evidence, actor=request.user)
    except ReportingError as exc:
        return _respond(request, group_year=group_year, unit=member, criterion=criterion, error=str(exc))
    return _respond(request, group_year=group_year, unit=member, criterion=criterion,
                    success=f"Đã xóa minh chứng «{evidence.original_name}».")


@login_required
@require_GET
def evidence_download(request: HttpRequest, code: str, year: int, unit: str, evidence_id: int) -> HttpResponse:
    group_year, member = _scope(request, code, year, unit)
    if not policy.can_view_unit_report(request.user, group_year, member):
        raise PermissionDenied("Bạn không có quyền xem báo cáo và minh chứng của đơn vị này.")
    evidence = _evidence(group_year, member, evidence_id)
    try:
        stream = evidence.file.storage.open(evidence.file.name, "rb")
    except FileNotFoundError:
        raise Http404("Tệp minh chứng không còn trên máy chủ; đề nghị đơn vị tải lên lại.") from None
    response = FileResponse(stream, as_attachment=True, filename=evidence.original_name,
                            content_type=evidence.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"  # if a browser renders it anyway
    response["Cache-Control"] = "private, no-store"
    return response
