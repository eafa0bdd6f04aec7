"""The Excel round trip on the web: download the template, upload it, preview, confirm.

Thin: policy → excel (read, compare, validate) → services.results_apply. Between the preview and the
confirmation the uploaded file waits under MEDIA_ROOT/uploads/<uuid> (never a path the user names),
with the uuid, the group-year and a digest of the file in the session; confirm re-reads it and
applies only if it still shows the same changes.
"""

from __future__ import annotations

import hashlib
import os
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thidua.covenants.models import Covenant
from thidua.covenants.selectors import members_of
from thidua.lib.numbers import format_number
from thidua.org import policy
from thidua.org.models import GroupYear, Unit
from thidua.reporting import excel
from thidua.reporting.models import ChangeSource
from thidua.reporting.services import ReportingError, results_apply

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SESSION_KEY = "thidua_excel_upload"
UPLOAD_DIR = "uploads"
STALE_SECONDS = 24 * 60 * 60
FILE_FIELD = "tep"


# ------------------------------------------------------------------------------ helpers


class _SizeLimit(FileUploadHandler):
    """Stops reading an upload as soon as it passes the limit: nothing bigger reaches memory or disk."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.request.excel_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


def _covenant(group_year: GroupYear) -> Covenant:
    covenant = Covenant.objects.filter(group_year=group_year).first()
    if covenant is None:
        raise Http404("Cụm, khối này chưa có giao ước thi đua trong năm.")
    return covenant


def _can_download_group(user, group_year: GroupYear) -> bool:
    return policy.can_review_reports(user, group_year) or policy.is_board_for(user, group_year)


def _member_units(group_year: GroupYear) -> list[Unit]:
    return [m.unit for m in members_of(group_year)]


def _downloadable_units(user, group_year: GroupYear, units: list[Unit]) -> list[Unit]:
    visible = set(policy.units_for(user).filter(pk__in=[u.pk for u in units]).values_list("pk", flat=True))
    return [u for u in units if u.pk in visible and policy.can_view_unit_report(user, group_year, u)]


def _uploading_units(user, units: list[Unit]) -> list[Unit]:
    return [u for u in units if policy.can_enter_unit_data(user, u)]


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, no-store"  # unpublished figures
    return response


def _upload_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / UPLOAD_DIR
    path.mkdir(parents=True, exist_ok=True)
    return path


def _stored_path(token: str) -> Path | None:
    try:
        return _upload_dir() / uuid.UUID(hex=token).hex
    except (ValueError, TypeError, AttributeError):
        return None


def _discard(request: HttpRequest) -> None:
    """Forget the pending upload of this session and delete its file."""
    pending = request.session.pop(SESSION_KEY, None)
    if pending and (path := _stored_path(pending.get("token", ""))):
        path.unlink(missing_ok=True)


def _sweep_stale() -> None:
    """Files of previews never confirmed: removed after a day."""
    limit = time.time() - STALE_SECONDS
    for path in _upload_dir().iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except OSError:
            pass


def _store(request: HttpRequest, *, data: bytes, filename: str, group_year: GroupYear, fingerprint: str) -> str:
    _discard(request)
    _sweep_stale()
    token = uuid.uuid4().hex
    path = _upload_dir() / token
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    request.session[SESSION_KEY] = {
        "token": token, "filename": filename, "group": group_year.group.code, "year": group_year.year,
        "sha256": hashlib.sha256(data).hexdigest(), "fingerprint": fingerprint,
    }
    return token


def _display_name(name: str) -> str:
    """The uploaded file's name for messages only (never used as a path)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return "".join(ch for ch in base if ch.isprintable())[:120] or "tep-tai-len"


def _check(request: HttpRequest, group_year: GroupYear, covenant: Covenant, *, data: bytes, filename: str) -> excel.ParsedUpload:
    parsed = excel.results_parse(data, filename=filename, covenant=covenant)
    parsed.errors.extend(excel.results_scope_errors(parsed=parsed, user=request.user))
    parsed.errors.sort(key=lambda e: (getattr(e, "row", None) or 0))
    return parsed


def _page(request: HttpRequest, group_year: GroupYear, *, status: int = 200, **extra) -> HttpResponse:
    units = _member_units(group_year)
    context = {
        "gy": group_year,
        "can_download_group": _can_download_group(request.user, group_year),
        "unit_templates": _downloadable_units(request.user, group_year, units),
        "can_upload": bool(_uploading_units(request.user, units)),
        "max_mb": format_number(excel.MAX_UPLOAD_BYTES // (1024 * 1024)),
        **extra,
    }
    return render(request, "reporting/excel_upload.html", context, status=status)


def _preview(request: HttpRequest, group_year: GroupYear, parsed: excel.ParsedUpload, *, token: str | None,
             notice: str = "") -> HttpResponse:
    context = {"gy": group_year, "parsed": parsed, "token": token, "notice": notice,
               "changed_units": len({e.unit.pk for e in parsed.edits})}
    return render(request, "reporting/excel_preview.html", context)


# ------------------------------------------------------------------------------ views


@login_required
@require_GET
def excel_template_group(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The whole group's template: the leader's officers and the Board in scope."""
    group_year = policy.get_group_year_for_user(request.user, code=code, year=year)
    if not _can_download_group(request.user, group_year):
        raise PermissionDenied("Chỉ cán bộ đơn vị cụm trưởng và Ban Thi đua – Khen thưởng tải được mẫu của cả cụm, khối.")
    covenant = _covenant(group_year)
    content = excel.results_template(covenant=covenant, units=_member_units(group_year))
    return _xlsx(content, f"so-lieu-{group_year.group.code}-{group_year.year}.xlsx")


@login_required
@require_GET
def excel_template_unit(request: HttpRequest, code: str, year: int, unit: str) -> HttpResponse:
    """One member unit's template: whoever may see that unit's report."""
    group_year = policy.get_group_year_for_user(request.user, code=code, year=year)
    unit_obj = policy.get_unit_for_user(request.user, code=unit)
    if unit_obj.pk not in {u.pk for u in _member_units(group_year)}:
        raise Http404("Đơn vị này không phải thành viên của cụm, khối trong năm này.")
    if not policy.can_view_unit_report(request.user, group_year, unit_obj):
        raise PermissionDenied("Bạn không được xem số liệu của đơn vị này.")
    covenant = _covenant(group_year)
    content = excel.results_template(covenant=covenant, units=[unit_obj])
    return _xlsx(content, f"so-lieu-{group_year.group.code}-{group_year.year}-{unit_obj.code}.xlsx")


@csrf_exempt  # only so the size guard is in place before the body is read; checked just below
def excel_upload(request: HttpRequest, code: str, year: int) -> HttpResponse:
    request.upload_handlers.insert(0, _SizeLimit(request, excel.MAX_UPLOAD_BYTES))
    return _excel_upload(request, code=code, year=year)


@csrf_protect
@login_required
@require_http_methods(["GET", "POST"])
def _excel_upload(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """GET: the page (downloads, upload form). POST: read the file and show the preview."""
    group_year = policy.get_group_year_for_user(request.user, code=code, year=year)
    units = _member_units(group_year)
    can_upload = bool(_uploading_units(request.user, units))
    if request.method == "GET":
        if not (can_upload or _can_download_group(request.user, group_year)
                or _downloadable_units(request.user, group_year, units)):
            raise PermissionDenied("Bạn không nhập số liệu cho đơn vị nào của cụm, khối này.")
        _covenant(group_year)
        return _page(request, group_year)
    if not can_upload:
        raise PermissionDenied("Chỉ cán bộ, thủ trưởng của đơn vị thành viên được tải số liệu lên.")
    covenant = _covenant(group_year)
    uploaded = request.FILES.get(FILE_FIELD)
    if getattr(request, "excel_too_large", False):
        return _page(request, group_year, error="Tệp lớn hơn 5 MB, không nhận. Chỉ tải lên bảng số liệu theo mẫu.")
    if uploaded is None:
        return _page(request, group_year, error="Chưa chọn tệp để tải lên.")
    filename = _display_name(uploaded.name or "")
    if uploaded.size > excel.MAX_UPLOAD_BYTES:
        return _page(request, group_year,
                     error=f"{filename}: tệp lớn hơn 5 MB ({format_number(uploaded.size)} byte), không nhận.")
    data = uploaded.read(excel.MAX_UPLOAD_BYTES + 1)
    if refusal := excel.results_file_check(data=data, filename=filename):
        return _page(request, group_year, error=refusal)
    parsed = _check(request, group_year, covenant, data=data, filename=filename)
    token = None
    if parsed.ok and parsed.edits:
        token = _store(request, data=data, filename=filename, group_year=group_year,
                       fingerprint=excel.results_fingerprint(parsed))
    else:
        _discard(request)
    return _preview(request, group_year, parsed, token=token)


@login_required
@require_POST
def excel_confirm(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Apply the previewed upload: re-read the stored file, re-check, apply all or nothing."""
    group_year = policy.get_group_year_for_user(request.user, code=code, year=year)
    covenant = _covenant(group_year)
    pending = request.session.get(SESSION_KEY) or {}
    path = _stored_path(pending.get("token", ""))
    matches = (pending.get("token") == request.POST.get("token") and pending.get("group") == group_year.group.code
               and pending.get("year") == group_year.year and path is not None and path.is_file())
    if not matches:
        messages.error(request, "Không còn tệp chờ xác nhận (đã ghi, đã hết hạn hoặc đã tải tệp khác). Hãy tải tệp lên lại.")
        return redirect("results_excel", code=group_year.group.code, year=group_year.year)
    data = path.read_bytes()
    filename = pending["filename"]
    if hashlib.sha256(data).hexdigest() != pending.get("sha256"):
        _discard(request)
        messages.error(request, "Tệp chờ xác nhận không còn nguyên vẹn. Hãy tải tệp lên lại.")
        return redirect("results_excel", code=group_year.group.code, year=group_year.year)
    parsed = _check(request, group_year, covenant, data=data, filename=filename)
    if not parsed.ok or not parsed.edits:
        _discard(request)
        return _preview(request, group_year, parsed, token=None)
    fingerprint = excel.results_fingerprint(parsed)
    if fingerprint != pending.get("fingerprint"):
        request.session[SESSION_KEY] = {**pending, "fingerprint": fingerprint}
        return _preview(request, group_year, parsed, token=pending["token"],
                        notice="Số liệu đã thay đổi kể từ lúc xem trước (có người vừa sửa). Hãy xem lại danh sách "
                               "thay đổi dưới đây rồi xác nhận lần nữa.")
    try:
        changed = results_apply(edits=parsed.edits, actor=request.user, source=ChangeSource.EXCEL,
                                reason=f"Tải lên tệp {filename}")
    except ReportingError as exc:
        _discard(request)
        parsed.errors.append(str(exc))
        return _preview(request, group_year, parsed, token=None)
    _discard(request)
    messages.success(request, f"Đã ghi {format_number(changed)} thay đổi từ tệp {filename}.")
    return redirect("results_excel", code=group_year.group.code, year=group_year.year)
