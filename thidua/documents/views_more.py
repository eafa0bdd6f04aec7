"""Downloads of the conference documents: vote-count minutes (DOCX, PDF), the submission of the
award proposals (tờ trình, DOCX, PDF) and the score table (XLSX). Thin: policy → document.

Scope (thidua.org.policy): the group-year comes from `get_group_year_for_user` (404 outside scope).
- Score table, and the minutes of a closed ballot: anyone who may read the group-year. A ballot still
  open (or a draft) has no result, hence no minutes: 404.
- The submission: the leader's officers of that year and the Board in scope; 403 for others in scope.
"""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from thidua.conference.models import Ballot, BallotStatus
from thidua.documents import minutes, proposal_letter, score_table
from thidua.org import policy
from thidua.org.models import GroupYear

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
LETTER_ONLY = ("Chỉ cán bộ đơn vị cụm trưởng, khối trưởng năm nay và Ban Thi đua – Khen thưởng phụ trách "
               "được tải tờ trình đề nghị khen thưởng.")


def _download(data: bytes, *, content_type: str, filename: str, inline: bool = False) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=not inline, filename=filename)
    response["Cache-Control"] = "private, no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _slug(group_year: GroupYear) -> str:
    return f"{re.sub(r'[^A-Za-z0-9_-]', '-', group_year.group.code)}-{group_year.year}"


def _closed_ballot(request: HttpRequest, code: str, year: int, pk: int) -> Ballot:
    group_year = policy.get_group_year_for_user(request.user, code=code, year=year)
    ballot = Ballot.objects.filter(pk=pk, group_year=group_year).select_related("group_year__group").first()
    if ballot is None:
        raise Http404("Không tìm thấy phiếu bầu này.")
    if ballot.status != BallotStatus.CLOSED:
        raise Http404("Biên bản kiểm phiếu chỉ có khi phiếu bầu đã kết thúc.")
    return ballot


@login_required
@require_GET
def ballot_minutes_docx(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    ballot = _closed_ballot(request, code, year, pk)
    return _download(minutes.minutes_docx(ballot=ballot), content_type=DOCX,
                     filename=f"bien-ban-kiem-phieu-{_slug(ballot.group_year)}-{ballot.pk}.docx")


@login_required
@require_GET
def ballot_minutes_pdf(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    ballot = _closed_ballot(request, code, year, pk)
    return _download(minutes.minutes_pdf(ballot=ballot), content_type=PDF, inline=True,
                     filename=f"bien-ban-kiem-phieu-{_slug(ballot.group_year)}-{ballot.pk}.pdf")


def _letter_scope(request: HttpRequest, code: str, year: int) -> GroupYear:
    group_year = policy.get_group_year_for_user(request.user, code=code, year=year)
    if not (policy.can_review_reports(request.user, group_year) or policy.is_board_for(request.user, group_year)):
        raise PermissionDenied(LETTER_ONLY)
    if not proposal_letter.proposals_for_letter(group_year):
        raise Http404(f"{group_year} chưa có danh sách đề nghị khen thưởng.")
    return group_year


@login_required
@require_GET
def proposal_letter_docx(request: HttpRequest, code: str, year: int) -> HttpResponse:
    group_year = _letter_scope(request, code, year)
    return _download(proposal_letter.proposal_letter_docx(group_year=group_year), content_type=DOCX,
                     filename=f"to-trinh-khen-thuong-{_slug(group_year)}.docx")


@login_required
@require_GET
def proposal_letter_pdf(request: HttpRequest, code: str, year: int) -> HttpResponse:
    group_year = _letter_scope(request, code, year)
    return _download(proposal_letter.proposal_letter_pdf(group_year=group_year), content_type=PDF, inline=True,
                     filename=f"to-trinh-khen-thuong-{_slug(group_year)}.pdf")


@login_required
@require_GET
def score_table_xlsx(request: HttpRequest, code: str, year: int) -> HttpResponse:
    group_year = policy.get_group_year_for_user(request.user, code=code, year=year)
    return _download(score_table.score_table_xlsx(group_year=group_year), content_type=XLSX,
                     filename=f"bang-diem-{_slug(group_year)}.xlsx")
