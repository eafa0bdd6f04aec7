"""Pages of the award dossiers: the inbox per role, a dossier's page with its actions, a new
dossier, and the bulk proposal from a conference's list. Thin: access (thidua.awards.access over
thidua.org.policy: 404 outside scope, 403 for an action one may not take) → services
(thidua.awards.dossiers) → template; a refused action comes back as a message on the dossier."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from thidua.awards import access, bmvnah, codes
from thidua.awards import dossiers as services
from thidua.awards.models import PENDING, Collective, Dossier, DossierSource, Person, TitleOrAward
from thidua.awards.workflows import AUTHORITY, DOCUMENTS, PROCEDURE_NAMES
from thidua.lib.collation import vi_sort_key
from thidua.org import policy
from thidua.org.models import Role


@dataclass
class Row:
    dossier: Dossier
    step_name: str
    days_left: int | None
    mine: bool

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def overdue_days(self) -> int:
        return -self.days_left if self.overdue else 0


def _row(user, dossier: Dossier, today: dt.date, memo: dict) -> Row:
    step = services.current_step(dossier)
    # Who acts depends on the unit, the group-year and the step's role only: asked once per kind.
    key = (dossier.unit_id, dossier.group_year_id, step.role)
    if key not in memo:
        memo[key] = access.can_act(user, dossier, step)
    mine = dossier.pending and memo[key]
    return Row(dossier=dossier, step_name=step.name, days_left=services.days_left(dossier, today=today), mine=mine)


def _order(row: Row) -> tuple:
    """Pending first, overdue first, then by due date; finished last, newest first."""
    if not row.dossier.pending:
        return (1, 0, dt.date.max, -row.dossier.pk)
    return (0, 0 if row.overdue else 1, row.dossier.due_on or dt.date.max, row.dossier.pk)


@login_required
def dossier_inbox(request: HttpRequest) -> HttpResponse:
    """The dossiers in the user's scope: what waits for the user first, overdue items on top."""
    today = timezone.localdate()
    everything = request.GET.get("tat-ca") == "1"
    queryset = access.dossiers_for(request.user).select_related("person", "collective", "unit", "group_year__group")
    if not everything:
        queryset = queryset.filter(status__in=PENDING)
    memo: dict = {}
    rows = sorted((_row(request.user, d, today, memo) for d in queryset), key=_order)
    context = {
        "mine": [r for r in rows if r.mine], "others": [r for r in rows if not r.mine], "everything": everything,
        "can_create": bool(_creatable_units(request.user)),
    }
    return render(request, "awards/dossier_inbox.html", context)


def _creatable_units(user):
    return [u for u in policy.units_for(user) if access.can_create_for(user, u)]


@login_required
def dossier_new(request: HttpRequest) -> HttpResponse:
    """Propose a person or a collective of one's units for an award, by a procedure."""
    units = _creatable_units(request.user)
    if not units:
        raise PermissionDenied("Bạn không lập hồ sơ đề nghị khen thưởng.")
    people = sorted(Person.objects.filter(unit__in=units).select_related("unit"), key=lambda p: vi_sort_key(p.name))
    collectives = sorted(Collective.objects.filter(unit__in=units).select_related("unit"), key=lambda c: vi_sort_key(c.name))
    typed = request.POST.dict() if request.method == "POST" else {"year": str(timezone.localdate().year - 1)}
    error = ""
    if request.method == "POST":
        subject = typed.get("subject", "")
        kind, _, pk = subject.partition(":")
        person = next((p for p in people if kind == "p" and str(p.pk) == pk), None)
        collective = next((c for c in collectives if kind == "c" and str(c.pk) == pk), None)
        try:
            if person is None and collective is None:
                raise services.DossierError(gettext("Chưa chọn cá nhân hoặc tập thể được đề nghị."))
            year = typed.get("year", "").strip()
            if not (year.isascii() and year.isdigit()):  # "²".isdigit() is True, int("²") fails
                raise services.DossierError(gettext("Năm thành tích «%(year)s» không phải là năm.") % {"year": year})
            procedure = typed.get("procedure", "")
            dossier = services.dossier_create(
                person=person, collective=collective, code=typed.get("code", ""), year=int(year),
                procedure=procedure, actor=request.user, summary=typed.get("summary", ""),
                source=DossierSource.ADHOC if procedure == "adhoc" else DossierSource.UNIT,
            )  # fmt: skip
        except services.DossierError as exc:
            error = str(exc)
        else:
            messages.success(request, gettext("Đã lập hồ sơ: %(dossier)s.") % {"dossier": dossier})
            return redirect("dossier_detail", pk=dossier.pk)
    context = {
        "people": people, "collectives": collectives, "codes": codes.CODES.values(),
        "procedures": PROCEDURE_NAMES.items(), "typed": typed, "error": error,
    }
    return render(request, "awards/dossier_new.html", context, status=400 if error else 200)


def _documents(dossier: Dossier, step) -> list[dict]:
    attached = {}
    for document in dossier.documents.all().order_by("uploaded_at", "pk"):
        attached.setdefault(document.kind, []).append(document)
    required = services.required_documents(dossier, step) if dossier.pending else ()
    rows = [{"kind": k, "name": DOCUMENTS[k], "required": True, "files": attached.get(k, [])} for k in required]
    rows += [{"kind": k, "name": DOCUMENTS.get(k, k), "required": False, "files": files}
             for k, files in attached.items() if k not in required]  # fmt: skip
    return rows


@login_required
def dossier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = access.get_dossier_for_user(request.user, pk=pk)
    step = services.current_step(dossier)
    steps = services.steps_of(dossier)
    today = timezone.localdate()
    may_act = dossier.pending and access.can_act(request.user, dossier, step)
    may_withdraw = dossier.pending and policy.can_enter_unit_data(request.user, dossier.unit)
    board = policy.is_board(request.user) and access.board_covers(request.user, dossier.unit)
    subject = dossier.subject
    left = services.days_left(dossier, today=today)
    context = {
        "d": dossier, "step": step, "steps": steps, "step_index": [s.key for s in steps].index(dossier.step),
        "days_left": left, "overdue_days": -left if left is not None and left < 0 else 0, "may_act": may_act, "may_withdraw": may_withdraw, "board": board,
        "documents": _documents(dossier, step), "document_kinds": DOCUMENTS.items(),
        "blockers": services.advance_blockers(dossier) if may_act and not step.decides else [],
        "consultation_days": step.consultation_days(dossier.code) if dossier.pending else 0,
        "eligibility": services.dossier_eligibility(dossier), "basis": services.basis_of(dossier),
        "history": dossier.steps.select_related("actor"), "grants": subject.grants.order_by("year", "code"),
        "ratings": subject.ratings.order_by("year"), "procedure": services.procedure_of(dossier),
        "authority": AUTHORITY.get(dossier.code, ""), "step_names": {s.key: gettext(s.name) for s in steps},
        "today": today, "role_names": dict(Role.choices),
        "facts": _facts_rows(dossier) if dossier.code == "BMVNAH" else None,
    }
    return render(request, "awards/dossier_detail.html", context)


def _facts_rows(dossier: Dossier) -> list[dict]:
    """The fields of thidua.awards.bmvnah.MotherFacts with their recorded values, for the form."""
    recorded = dossier.facts or {}
    return [{"name": name, "label": label, "flag": name in ("husband_martyr", "self_martyr", "self_invalid_81"),
             "value": recorded.get(name, "")} for name, label in bmvnah.LABELS.items()]  # fmt: skip


def _act(request: HttpRequest, pk: int, action) -> HttpResponse:
    """Run one service on the dossier; a refusal becomes a message on the dossier's page."""
    dossier = access.get_dossier_for_user(request.user, pk=pk)
    try:
        done = action(dossier)
    except services.DossierError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("dossier_detail", pk=dossier.pk)


@login_required
@require_POST
def dossier_attach(request: HttpRequest, pk: int) -> HttpResponse:
    def attach(dossier: Dossier) -> str:
        upload = request.FILES.get("file")
        if upload is None:
            raise services.DossierError(gettext("Chưa chọn tệp để tải lên."))
        document = services.dossier_attach(dossier=dossier, kind=request.POST.get("kind", ""), upload=upload,
                                           actor=request.user)
        return gettext("Đã tải lên %(file)s (%(kind)s).") % {"file": document.original_name, "kind": gettext(DOCUMENTS[document.kind])}

    return _act(request, pk, attach)


@login_required
def dossier_document(request: HttpRequest, pk: int, document: int) -> HttpResponse:
    dossier = access.get_dossier_for_user(request.user, pk=pk)
    found = dossier.documents.filter(pk=document).first()
    if found is None:
        raise Http404("Không có tài liệu này trong hồ sơ.")
    try:
        stream = found.file.storage.open(found.file.name, "rb")
    except FileNotFoundError:
        raise Http404("Tệp không còn trên máy chủ; đề nghị tải lên lại.") from None
    response = FileResponse(stream, as_attachment=True, filename=found.original_name, content_type=found.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def dossier_advance(request: HttpRequest, pk: int) -> HttpResponse:
    def advance(dossier: Dossier) -> str:
        services.dossier_advance(dossier=dossier, actor=request.user)
        return gettext("Đã chuyển hồ sơ sang bước «%(step)s».") % {"step": gettext(services.current_step(dossier).name)}

    return _act(request, pk, advance)


@login_required
@require_POST
def dossier_return(request: HttpRequest, pk: int) -> HttpResponse:
    def send_back(dossier: Dossier) -> str:
        services.dossier_return(dossier=dossier, reason=request.POST.get("reason", ""), actor=request.user)
        return gettext("Đã trả lại hồ sơ về bước «%(step)s».") % {"step": gettext(services.current_step(dossier).name)}

    return _act(request, pk, send_back)


@login_required
@require_POST
def dossier_consultation(request: HttpRequest, pk: int) -> HttpResponse:
    def consult(dossier: Dossier) -> str:
        action = request.POST.get("action", "")
        services.dossier_consultation(dossier=dossier, action=action, actor=request.user)
        return gettext("Đã bắt đầu lấy ý kiến công khai.") if action == "start" else gettext("Đã kết thúc lấy ý kiến công khai.")

    return _act(request, pk, consult)


@login_required
@require_POST
def dossier_override(request: HttpRequest, pk: int) -> HttpResponse:
    def override(dossier: Dossier) -> str:
        services.dossier_override(dossier=dossier, reason=request.POST.get("reason", ""), actor=request.user)
        return gettext("Đã ghi nhận lý do đề nghị ngoài tiêu chuẩn thông thường.")

    return _act(request, pk, override)


def _parse_date(text: str) -> dt.date:
    text = (text or "").strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise services.DossierError(gettext("Ngày quyết định «%(text)s» không đúng dạng ngày/tháng/năm (ví dụ 24/01/2026).")
                                % {"text": text} if text else gettext("Cần ghi ngày quyết định."))  # fmt: skip


@login_required
@require_POST
def dossier_decide(request: HttpRequest, pk: int) -> HttpResponse:
    def decide(dossier: Dossier) -> str:
        decision = services.dossier_decide(
            dossier=dossier, number=request.POST.get("number", ""), date=_parse_date(request.POST.get("date", "")),
            authority=request.POST.get("authority", ""), actor=request.user,
        )  # fmt: skip
        return gettext("Đã ghi nhận quyết định số %(number)s; %(award)s đã vào lịch sử khen thưởng.") % {
            "number": decision.number, "award": codes.code_name(dossier.code)}

    return _act(request, pk, decide)


@login_required
@require_POST
def dossier_reject(request: HttpRequest, pk: int) -> HttpResponse:
    def reject(dossier: Dossier) -> str:
        services.dossier_reject(dossier=dossier, reason=request.POST.get("reason", ""), actor=request.user)
        return gettext("Đã ghi nhận không khen thưởng.")

    return _act(request, pk, reject)


@login_required
@require_POST
def dossier_facts(request: HttpRequest, pk: int) -> HttpResponse:
    def record(dossier: Dossier) -> str:
        services.dossier_record_facts(dossier=dossier, values=request.POST.dict(), actor=request.user)
        return gettext("Đã ghi thông tin xét tiêu chuẩn.")

    return _act(request, pk, record)


@login_required
@require_POST
def dossier_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    def withdraw(dossier: Dossier) -> str:
        services.dossier_withdraw(dossier=dossier, reason=request.POST.get("reason", ""), actor=request.user)
        return gettext("Đã rút hồ sơ.")

    return _act(request, pk, withdraw)


@login_required
@require_POST
def award_revoke(request: HttpRequest, pk: int, grant: int) -> HttpResponse:
    """Revoke a title or award of the dossier's nominee (from the dossier's page)."""
    dossier = access.get_dossier_for_user(request.user, pk=pk)
    found = TitleOrAward.objects.filter(pk=grant, person=dossier.person, collective=dossier.collective).first()
    if found is None:
        raise Http404("Không có danh hiệu, hình thức khen thưởng này.")
    try:
        flagged = services.award_revoke(grant=found, reason=request.POST.get("reason", ""), actor=request.user)
    except services.DossierError as exc:
        messages.error(request, str(exc))
    else:
        message = ngettext("Đã hủy bỏ %(award)s năm %(year)s; %(n)s hồ sơ đang xét cần xem lại.",
                           "Đã hủy bỏ %(award)s năm %(year)s; %(n)s hồ sơ đang xét cần xem lại.", len(flagged))
        messages.success(request, message % {"award": codes.code_name(found.code), "year": found.year, "n": len(flagged)})
    return redirect("dossier_detail", pk=dossier.pk)


@login_required
def dossier_from_conference(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The conference's proposal list with its dossiers; POST opens a dossier for each one."""
    from thidua.conference.models import AwardProposal
    from thidua.conference.proposals import can_run_conference

    group_year = policy.get_group_year_for_user(request.user, code=code, year=year)
    if not can_run_conference(request.user, group_year):
        raise PermissionDenied("Chỉ cán bộ đơn vị cụm trưởng, khối trưởng và Ban Thi đua – Khen thưởng lập hồ sơ từ hội nghị.")
    if request.method == "POST":
        try:
            created, notes = services.dossiers_from_conference(group_year=group_year, actor=request.user)
        except services.DossierError as exc:
            messages.error(request, str(exc))
        else:
            message = ngettext("Đã lập %(n)s hồ sơ đề nghị khen thưởng từ danh sách của hội nghị.",
                               "Đã lập %(n)s hồ sơ đề nghị khen thưởng từ danh sách của hội nghị.", len(created))
            messages.success(request, message % {"n": len(created)})
            for note in notes:
                messages.warning(request, note)
        return redirect("dossier_from_conference", code=code, year=year)
    proposals = AwardProposal.objects.filter(group_year=group_year).select_related("unit").order_by("rank", "pk")
    dossiers = {d.proposal_id: d for d in Dossier.objects.filter(proposal__in=proposals)}
    rows = [(p, dossiers.get(p.pk)) for p in proposals]
    return render(request, "awards/dossier_conference.html", {"gy": group_year, "rows": rows})
