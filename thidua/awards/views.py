"""Award history pages: the list of people and collectives in scope, a person's and a collective's
history with the eligibility of each award in a chosen year and why, the statistics.

Thin: scope (thidua.awards.selectors over thidua.org.policy) → selector → template. A person or
collective outside the user's units (and the units they succeed) is a 404.
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
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thidua.awards import codes, selectors
from thidua.awards import excel as history_excel
from thidua.awards.config import rule_table
from thidua.awards.rules import RuleError
from thidua.awards.services import HistoryImportError, history_import
from thidua.reporting.excel import MAX_UPLOAD_BYTES
from thidua.awards import statistics as stats
from thidua.lib.collation import vi_sort_key
from thidua.org.selectors import current_year

PAGE_SIZE = 100  # people and collectives per page of the list


def _year_param(request: HttpRequest) -> int:
    value = request.GET.get("nam", "")
    # isascii: "²".isdigit() is True but int("²") raises (a 500 from a query string).
    return int(value) if value.isascii() and value.isdigit() and 1900 < int(value) < 2200 else current_year()


def _rows(assessment: selectors.SubjectAssessment) -> list[dict]:
    """One row per award code, in the engine's order, with the Vietnamese name."""
    return [
        {"result": r, "name": codes.code_name(r.code),
         "reasons": list(dict.fromkeys(x for x in r.reasons if x not in r.notes))}  # each reason once
        for r in assessment.results
    ]


def _grants(assessment: selectors.SubjectAssessment) -> list:
    """Titles and awards together, by year (a title and an award of one year side by side)."""
    h = assessment.history
    return sorted((*h.titles, *h.awards), key=lambda g: (g.year, g.code))


@login_required
@require_GET
def history_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    unit_code = request.GET.get("don_vi", "")[:40]
    listing = selectors.history_listing(user=request.user, query=query, unit_code=unit_code)
    # One flat list (unit by unit, collectives first) cut into pages: a unit of thousands of people
    # spreads over several pages instead of making one huge page.
    rows = [(u.unit, kind, s) for u in listing for kind, subjects in (("c", u.collectives), ("p", u.people)) for s in subjects]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("trang"))
    blocks: list[dict] = []
    for unit, kind, subject in page:
        if not blocks or blocks[-1]["unit"].pk != unit.pk:
            blocks.append({"unit": unit, "c": [], "p": []})
        blocks[-1][kind].append(subject)
    context = {"page": page, "blocks": blocks, "query": query, "unit_code": unit_code,
               "people_count": sum(len(u.people) for u in listing),
               "collective_count": sum(len(u.collectives) for u in listing)}  # fmt: skip
    return render(request, "awards/history_list.html", context)


@login_required
@require_GET
def person_detail(request: HttpRequest, external_id: str) -> HttpResponse:
    person = selectors.person_get_for_user(request.user, external_id=external_id)
    assessment = selectors.person_assessment(person=person, year=_year_param(request))
    extra = {"quota_pct": assessment.rule_set["cstdcs.quota_pct"]}
    return _subject_page(request, subject=person, kind="person", assessment=assessment, extra=extra)


@login_required
@require_GET
def collective_detail(request: HttpRequest, external_id: str) -> HttpResponse:
    collective = selectors.collective_get_for_user(request.user, external_id=external_id)
    assessment = selectors.collective_assessment(collective=collective, year=_year_param(request))
    return _subject_page(request, subject=collective, kind="collective", assessment=assessment)


def _subject_page(request: HttpRequest, *, subject, kind: str, assessment, extra: dict | None = None) -> HttpResponse:
    """A person's or a collective's history page: the same template, the same context."""
    today = selectors.current_units([subject.unit])[subject.unit_id]
    context = {"subject": subject, "kind": kind, "a": assessment, "h": assessment.history,
               "rows": _rows(assessment), "today_unit": today, "grants": _grants(assessment),
               "ratings": sorted(assessment.history.ratings.items()),
               "rating_names": codes.RATING_NAMES, "scope_names": codes.SCOPE_NAMES,
               "discipline_names": codes.DISCIPLINE_NAMES, "code_names": {c: e.name for c, e in codes.CODES.items()},
               **(extra or {})}  # fmt: skip
    return render(request, "awards/subject_detail.html", context)


@login_required
@require_GET
def statistics_page(request: HttpRequest) -> HttpResponse:
    """Titles and awards per form and level per year; shares to direct workers and small
    collectives per year, and per unit and per cluster or block for the chosen year; scoped."""
    kind = request.GET.get("loai", stats.ALL)
    kind = kind if kind in stats.KIND_NAMES else stats.ALL
    facts = stats.facts_of_kind(selectors.grant_facts(user=request.user), kind)
    years = sorted({f.year for f in facts}, reverse=True)
    value = request.GET.get("nam", "")
    year = int(value) if value.isascii() and value.isdigit() and int(value) in years else (years[0] if years else None)
    of_year = [f for f in facts if f.year == year]
    # Several provinces have a «Cụm thi đua số 2»: the code tells them apart.
    names = {code: f"{name} ({code})" for code, name in selectors.group_names({g for f in of_year for g in f.groups}).items()}
    context = {
        "kind": kind, "kinds": stats.KIND_NAMES, "years": years, "year": year,
        "forms": stats.counts_by_form(facts), "by_year": stats.shares_by_year(facts),
        "total": stats.share_total(facts),
        "by_unit": stats.shares_by_unit(of_year, sort_key=vi_sort_key),
        "by_group": stats.shares_by_group(of_year, names=names, sort_key=vi_sort_key),
        "year_total": stats.share_total(of_year),
    }  # fmt: skip
    return render(request, "awards/statistics.html", context)


# --- Excel import of lists: template, upload → preview → confirm ---------------------------------
#
# The pattern of thidua.reporting.views_excel: between the preview and the confirmation the file
# waits under MEDIA_ROOT/uploads/<uuid> (never a path the user names), with its digest in the
# session; confirm re-reads and re-checks it, and imports all or nothing.

SESSION_KEY = "thidua_history_upload"
FILE_FIELD = "tep"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _editable_units(request: HttpRequest) -> set[int]:
    units = selectors.history_editable_unit_ids(request.user)
    if not units:
        raise PermissionDenied("Chỉ Ban Thi đua – Khen thưởng và cán bộ, thủ trưởng đơn vị được nhập danh sách.")
    return units


def _upload_path(token: str) -> Path | None:
    try:
        folder = Path(settings.MEDIA_ROOT) / "uploads"
        folder.mkdir(parents=True, exist_ok=True)
        return folder / uuid.UUID(hex=token).hex
    except (ValueError, TypeError, AttributeError):
        return None


def _forget(request: HttpRequest) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if pending and (path := _upload_path(pending.get("token", ""))):
        path.unlink(missing_ok=True)


def _sweep_stale() -> None:
    """Files of previews never confirmed: removed after a day."""
    limit = time.time() - 24 * 60 * 60
    for path in (Path(settings.MEDIA_ROOT) / "uploads").iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except OSError:
            pass


def _keep(request: HttpRequest, *, data: bytes, filename: str) -> str:
    _forget(request)
    _upload_path(uuid.uuid4().hex)  # makes the folder
    _sweep_stale()
    token = uuid.uuid4().hex
    path = _upload_path(token)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    request.session[SESSION_KEY] = {"token": token, "filename": filename, "sha256": hashlib.sha256(data).hexdigest()}
    return token


def _display_name(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return "".join(ch for ch in base if ch.isprintable())[:120] or "tep-tai-len"


def _parse_and_preview(request: HttpRequest, *, data: bytes, filename: str, allowed: set[int]):
    """The parsed file and, when it has no error, what importing it would change."""
    parsed = history_excel.history_parse(data, filename=filename, allowed_units=allowed)
    report = None
    if parsed.ok:
        try:
            report = history_excel.history_preview(history=parsed.history, filename=filename)
        except (HistoryImportError, RuleError) as exc:
            parsed.errors.extend(str(e) for e in getattr(exc, "errors", [exc]))
    return parsed, report


@login_required
@require_GET
def excel_template(request: HttpRequest) -> HttpResponse:
    _editable_units(request)
    response = HttpResponse(history_excel.history_template(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename="mau-danh-sach-khen-thuong.xlsx")
    return response


class _SizeLimit(FileUploadHandler):
    """Stops reading an upload as soon as it passes the limit: nothing bigger reaches memory or disk."""

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > MAX_UPLOAD_BYTES:
            self.request.history_upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


@csrf_exempt  # only so the size guard is in place before the body is read; checked just below
def excel_upload(request: HttpRequest) -> HttpResponse:
    request.upload_handlers.insert(0, _SizeLimit(request))
    return _excel_upload(request)


@csrf_protect
@login_required
@require_http_methods(["GET", "POST"])
def _excel_upload(request: HttpRequest) -> HttpResponse:
    """GET: the page with the template. POST: read the file, show the errors or the preview."""
    allowed = _editable_units(request)
    context = {"max_mb": 5}
    if request.method == "GET":
        return render(request, "awards/excel_upload.html", context)
    uploaded = request.FILES.get(FILE_FIELD)
    if getattr(request, "history_upload_too_large", False):
        return render(request, "awards/excel_upload.html", {**context, "error": _("Tệp lớn hơn 5 MB, không nhận.")})
    if uploaded is None:
        return render(request, "awards/excel_upload.html", {**context, "error": _("Chưa chọn tệp để tải lên.")})
    filename = _display_name(uploaded.name or "")
    if uploaded.size > MAX_UPLOAD_BYTES:
        return render(request, "awards/excel_upload.html", {**context, "error": _("%(file)s: tệp lớn hơn 5 MB, không nhận.") % {"file": filename}})
    data = uploaded.read(MAX_UPLOAD_BYTES + 1)
    parsed, report = _parse_and_preview(request, data=data, filename=filename, allowed=allowed)
    token = None
    if parsed.ok and report is not None and report.changed:
        token = _keep(request, data=data, filename=filename)
    else:
        _forget(request)
    return render(request, "awards/excel_preview.html", {"parsed": parsed, "report": report, "token": token})


@login_required
@require_POST
def excel_confirm(request: HttpRequest) -> HttpResponse:
    """Import the previewed file: re-read, re-check against the database as it is now, all or nothing."""
    allowed = _editable_units(request)
    pending = request.session.get(SESSION_KEY) or {}
    path = _upload_path(pending.get("token", ""))
    if pending.get("token") != request.POST.get("token") or path is None or not path.is_file():
        messages.error(request, _("Không còn tệp chờ xác nhận (đã ghi, đã hết hạn hoặc đã tải tệp khác). Hãy tải tệp lên lại."))
        return redirect("awards_excel")
    data = path.read_bytes()
    filename = pending["filename"]
    if hashlib.sha256(data).hexdigest() != pending.get("sha256"):
        _forget(request)
        messages.error(request, _("Tệp chờ xác nhận không còn nguyên vẹn. Hãy tải tệp lên lại."))
        return redirect("awards_excel")
    parsed = history_excel.history_parse(data, filename=filename, allowed_units=allowed)
    if not parsed.ok:
        _forget(request)
        return render(request, "awards/excel_preview.html", {"parsed": parsed, "report": None, "token": None})
    try:
        report = history_import(history=parsed.history, filename=filename, actor=request.user, table=rule_table())
    except (HistoryImportError, RuleError) as exc:
        _forget(request)
        parsed.errors.extend(str(e) for e in getattr(exc, "errors", [exc]))
        return render(request, "awards/excel_preview.html", {"parsed": parsed, "report": None, "token": None})
    _forget(request)
    messages.success(request, report.summary())
    for note in report.notes:
        messages.info(request, note)
    return redirect("awards_list")
