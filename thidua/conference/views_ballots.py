"""Pages of the secret ballots. Thin: policy → service → template.

Scope: the group-year comes from the policy getter and the ballot from it (404 outside scope);
inside scope, a step the user may not take answers 403 and the services check the actor again.

Secrecy in the pages: the vote is answered by a page that shows only the receipt code (rendered in
the POST's response, never stored: not in a message, not in the session); per-option counts
appear only once the ballot has closed; pages with a ballot form are never cached.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from thidua.conference import ballots as services
from thidua.conference.models import (
    Ballot,
    BallotDelegate,
    BallotKind,
    BallotMode,
    BallotStatus,
    Base,
    Comparison,
    Electorate,
)
from thidua.lib.collation import vi_sort_key
from thidua.org import policy
from thidua.org.models import GroupYear, Role, RoleAssignment, User

MANAGERS_ONLY = "Chỉ cán bộ đơn vị cụm trưởng, khối trưởng năm nay được tổ chức bỏ phiếu."
VOTERS_ONLY = ("Bạn không có quyền bỏ phiếu này: chỉ thủ trưởng đơn vị thành viên (hoặc người được cử đại diện) "
               "hoặc thành viên Hội đồng được phân công mới bỏ phiếu.")
COUNTERS_ONLY = "Chỉ cán bộ đơn vị cụm trưởng, khối trưởng hoặc Ban Thi đua – Khen thưởng được kiểm phiếu."
BLANK = "trang"


def _scope(request: HttpRequest, code: str, year: int) -> GroupYear:
    return policy.get_group_year_for_user(request.user, code=code, year=year)


def _ballot(request: HttpRequest, code: str, year: int, pk: int) -> tuple[GroupYear, Ballot]:
    group_year = _scope(request, code, year)
    ballot = Ballot.objects.filter(pk=pk, group_year=group_year).select_related("group_year__group").first()
    if ballot is None:
        raise Http404("Không tìm thấy phiếu bầu này.")
    return group_year, ballot


def _detail(ballot: Ballot) -> HttpResponse:
    gy = ballot.group_year
    return redirect("ballot_detail", code=gy.group.code, year=gy.year, pk=ballot.pk)


# ------------------------------------------------------------------------------ list, create


@login_required
def ballot_list(request: HttpRequest, code: str, year: int) -> HttpResponse:
    group_year = _scope(request, code, year)
    items = Ballot.objects.filter(group_year=group_year).order_by("-id")
    return render(request, "conference/ballot_list.html", {
        "gy": group_year, "ballots": items, "can_manage": services.can_manage_ballots(request.user, group_year),
    })


def _small(label: str) -> forms.TextInput:
    """A short whole-number box (no inline style: the CSP forbids it)."""
    return forms.TextInput(attrs={"aria-label": label, "size": 3, "inputmode": "numeric"})


class BallotForm(forms.Form):
    kind = forms.ChoiceField(label="Nội dung bỏ phiếu", choices=BallotKind.choices, initial=BallotKind.ACCLAIM)
    title = forms.CharField(label="Tiêu đề", max_length=300, required=False,
                            help_text="Để trống: hệ thống đặt theo nội dung bỏ phiếu.")
    electorate = forms.ChoiceField(label="Người bỏ phiếu", choices=Electorate.choices, initial=Electorate.MEMBERS)
    mode = forms.ChoiceField(label="Hình thức", choices=BallotMode.choices, initial=BallotMode.ELECTRONIC)
    units = forms.MultipleChoiceField(label="Đơn vị có tên trên phiếu", required=False,
                                      widget=forms.CheckboxSelectMultiple)
    max_choices = forms.IntegerField(label="Số người được chọn mỗi phiếu (bầu cụm phó, khối phó)", min_value=1,
                                     initial=1, widget=forms.TextInput(attrs={"size": 3, "inputmode": "numeric"}))
    quorum_num = forms.IntegerField(label="Đủ số phiếu: tử số", min_value=1, initial=2,
                                    widget=_small("Đủ số phiếu: tử số"))
    quorum_den = forms.IntegerField(label="Đủ số phiếu: mẫu số", min_value=1, initial=3,
                                    widget=_small("Đủ số phiếu: mẫu số"))
    pass_comparison = forms.ChoiceField(label="Ngưỡng trúng cử: quá hay từ", choices=Comparison.choices,
                                        initial=Comparison.MORE_THAN,
                                        widget=forms.Select(attrs={"aria-label": "Ngưỡng trúng cử: quá hay từ"}))
    pass_num = forms.IntegerField(label="Ngưỡng trúng cử: tử số", min_value=1, initial=1,
                                  widget=_small("Ngưỡng trúng cử: tử số"))
    pass_den = forms.IntegerField(label="Ngưỡng trúng cử: mẫu số", min_value=1, initial=2,
                                  widget=_small("Ngưỡng trúng cử: mẫu số"))
    pass_base = forms.ChoiceField(label="Ngưỡng trúng cử tính trên", choices=Base.choices, initial=Base.ALL,
                                  widget=forms.Select(attrs={"aria-label": "Ngưỡng trúng cử tính trên"}))

    def __init__(self, *args, group_year: GroupYear, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = services.member_units_of(group_year=group_year)
        self.fields["units"].choices = [(u.code, u.name) for u in self.members]
        self.fields["units"].initial = [u.code for u in self.members]


@login_required
def ballot_create(request: HttpRequest, code: str, year: int) -> HttpResponse:
    group_year = _scope(request, code, year)
    if not services.can_manage_ballots(request.user, group_year):
        raise PermissionDenied(MANAGERS_ONLY)
    form = BallotForm(request.POST or None, group_year=group_year)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = set(data["units"])
        try:
            ballot = services.ballot_create(
                group_year=group_year, kind=data["kind"], actor=request.user, title=data["title"],
                electorate=data["electorate"], mode=data["mode"],
                units=[u for u in form.members if u.code in chosen] if chosen else None,
                max_choices=data["max_choices"], quorum=(data["quorum_num"], data["quorum_den"]),
                pass_fraction=(data["pass_num"], data["pass_den"]), pass_base=data["pass_base"],
                pass_comparison=data["pass_comparison"],
            )
        except services.BallotError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Đã tạo phiếu bầu. Kiểm tra lại các lựa chọn rồi bấm «Mở bỏ phiếu».")
            return _detail(ballot)
    return render(request, "conference/ballot_form.html", {"gy": group_year, "form": form})


# ------------------------------------------------------------------------------ the ballot's page


def _delegate_candidates(ballot: Ballot) -> list[tuple[object, list[User]]]:
    """Member unit → its officers and head, who may be named the unit's delegate."""
    units = services.member_units_of(group_year=ballot.group_year)
    rows = (RoleAssignment.objects.filter(unit__in=units, role__in=(Role.UNIT_OFFICER, Role.UNIT_HEAD))
            .select_related("user"))
    staff: dict[int, dict[int, User]] = {}
    for row in rows:
        staff.setdefault(row.unit_id, {})[row.user_id] = row.user
    return [(unit, sorted(staff.get(unit.pk, {}).values(), key=lambda u: vi_sort_key(str(u)))) for unit in units]


def _detail_context(request: HttpRequest, group_year: GroupYear, ballot: Ballot, **extra) -> dict:
    user = request.user
    can_manage = services.can_manage_ballots(user, group_year)
    voter_units = services.voter_units_for(ballot=ballot, user=user)
    voted = services.voted_unit_ids(ballot=ballot)
    council_voter = services.is_council_voter(ballot=ballot, user=user)
    context = {
        "gy": group_year, "ballot": ballot, "options": list(ballot.options.select_related("unit")),
        "rule_statement": services.rule_statement_of(ballot),
        "can_manage": can_manage,
        "can_count": services.can_count_paper(user, group_year),
        "can_see_participants": can_manage or policy.is_board_for(user, group_year),
        "is_voter": bool(voter_units) or council_voter,
        "pending_units": [u for u in voter_units if u.pk not in voted],
        "voted_units": [u for u in voter_units if u.pk in voted],
        "council_voter": council_voter,
        "council_voted": council_voter and services.has_voted(ballot=ballot, user=user),
        "multiple": ballot.max_choices > 1,
        "blank": BLANK,
    }
    if context["can_see_participants"]:
        context["participants"] = services.participants_of(ballot=ballot)
    if can_manage and ballot.electorate == Electorate.MEMBERS and ballot.status != BallotStatus.CLOSED:
        context["delegates"] = list(BallotDelegate.objects.filter(ballot=ballot).select_related("unit", "user"))
        context["delegate_candidates"] = _delegate_candidates(ballot)
    context.update(extra)
    return context


@login_required
@never_cache
def ballot_detail(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    group_year, ballot = _ballot(request, code, year, pk)
    return render(request, "conference/ballot_detail.html", _detail_context(request, group_year, ballot))


@login_required
@require_POST
@never_cache
def ballot_vote(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    group_year, ballot = _ballot(request, code, year, pk)
    user = request.user
    if not services.can_vote(ballot=ballot, user=user):
        raise PermissionDenied(VOTERS_ONLY)
    voter_unit = voter_user = None
    if ballot.electorate == Electorate.MEMBERS:
        voter_unit = next((u for u in services.voter_units_for(ballot=ballot, user=user)
                           if u.code == request.POST.get("unit", "")), None)
        if voter_unit is None:
            raise PermissionDenied(VOTERS_ONLY)
    else:
        voter_user = user
    picked = [value for value in request.POST.getlist("choice") if value != BLANK]
    blank = BLANK in request.POST.getlist("choice") or request.POST.get("blank") == "1"
    if not picked and not blank:
        context = _detail_context(request, group_year, ballot,
                                  vote_error="Bạn chưa chọn. Nếu muốn bỏ phiếu trắng, chọn «Phiếu trắng».")
        return render(request, "conference/ballot_detail.html", context, status=400)
    if picked and blank:
        context = _detail_context(request, group_year, ballot,
                                  vote_error="Phiếu trắng thì không chọn ai; hãy chọn lại.")
        return render(request, "conference/ballot_detail.html", context, status=400)
    try:
        code_ = services.ballot_cast(ballot=ballot, cast_by=user, choices=picked, voter_unit=voter_unit,
                                     voter_user=voter_user)
    except services.NotAllowed as exc:
        raise PermissionDenied(str(exc)) from None
    except services.BallotError as exc:
        messages.error(request, str(exc))
        return _detail(ballot)
    # Rendered here, never redirected: the receipt code is shown once and stored nowhere in clear.
    voter = voter_unit.label if voter_unit else str(user)
    return render(request, "conference/ballot_receipt.html",
                  {"gy": group_year, "ballot": ballot, "voter": voter, "receipt": services.format_receipt(code_)})


@login_required
@require_POST
def ballot_action(request: HttpRequest, code: str, year: int, pk: int, action: str) -> HttpResponse:
    group_year, ballot = _ballot(request, code, year, pk)
    steps = {"mo": (services.ballot_open, "Đã mở bỏ phiếu."),
             "ket-thuc": (services.ballot_close, "Đã kết thúc bỏ phiếu.")}
    if action not in steps:
        raise Http404()
    if not services.can_manage_ballots(request.user, group_year):
        raise PermissionDenied(MANAGERS_ONLY)
    service, done = steps[action]
    try:
        service(ballot=ballot, actor=request.user)
    except services.BallotError as exc:
        messages.error(request, str(exc))
        return _detail(ballot)
    messages.success(request, done)
    if action == "ket-thuc":
        return redirect("ballot_result", code=code, year=year, pk=pk)
    return _detail(ballot)


@login_required
@require_POST
def ballot_delegate(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    group_year, ballot = _ballot(request, code, year, pk)
    if not services.can_manage_ballots(request.user, group_year):
        raise PermissionDenied(MANAGERS_ONLY)
    unit_code, _, user_id = request.POST.get("delegate", "").partition("|")
    unit = next((u for u in services.member_units_of(group_year=group_year) if u.code == unit_code), None)
    if unit is None:
        raise Http404("Đơn vị này không phải thành viên của cụm, khối năm nay.")
    delegate = User.objects.filter(pk=int(user_id)).first() if user_id.isdigit() else None
    if user_id and delegate is None:
        raise Http404("Không tìm thấy người được cử.")
    try:
        services.ballot_delegate_set(ballot=ballot, unit=unit, user=delegate, actor=request.user)
    except services.BallotError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Đã cử {delegate} đại diện {unit.label} bỏ phiếu." if delegate
                         else f"Đã bỏ người đại diện của {unit.label}; thủ trưởng đơn vị bỏ phiếu.")
    return _detail(ballot)


@login_required
@require_POST
@never_cache
def receipt_check(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    group_year, ballot = _ballot(request, code, year, pk)
    counted = services.receipt_check(ballot=ballot, code=request.POST.get("receipt", ""))
    context = _detail_context(request, group_year, ballot, receipt_counted=counted, receipt_checked=True)
    return render(request, "conference/ballot_detail.html", context)


# ------------------------------------------------------------------------------ paper count, result


def _paper_rows(ballot: Ballot, values: dict[str, str]) -> list[dict]:
    return [{"name": f"option-{o.pk}", "label": o.label, "value": values.get(f"option-{o.pk}", "")}
            for o in ballot.options.all()]


def _whole(raw: str, what: str, problems: list[str]) -> int:
    raw = (raw or "").strip()
    if raw.isdigit():
        return int(raw)
    problems.append(f"{what}: «{raw}» không phải là số nguyên không âm" if raw else f"{what}: chưa nhập")
    return 0


@login_required
@never_cache
def ballot_paper(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    group_year, ballot = _ballot(request, code, year, pk)
    if not services.can_count_paper(request.user, group_year):
        raise PermissionDenied(COUNTERS_ONLY)
    if ballot.mode != BallotMode.PAPER:
        raise Http404("Phiếu này bỏ trên hệ thống, không có kiểm phiếu giấy.")
    values = request.POST if request.method == "POST" else {}
    context = {"gy": group_year, "ballot": ballot, "problems": [], "outcome": None}
    if request.method == "POST":
        problems: list[str] = []
        options = {o.pk: _whole(request.POST.get(f"option-{o.pk}"), o.label, problems) for o in ballot.options.all()}
        tallies = services.PaperTallies(options=options,
                                        cast=_whole(request.POST.get("cast"), "Số phiếu thu về", problems),
                                        blank=_whole(request.POST.get("blank"), "Số phiếu trắng", problems),
                                        invalid=_whole(request.POST.get("invalid"), "Số phiếu không hợp lệ", problems))
        if not problems:
            try:
                context["outcome"] = services.paper_count_submit(ballot=ballot, counter=request.user, tallies=tallies)
            except services.PaperCountInvalid as exc:
                problems = exc.problems
            except services.NotAllowed as exc:
                raise PermissionDenied(str(exc)) from None
            except services.BallotError as exc:
                problems = [str(exc)]
        context["problems"] = problems
        if context["outcome"] and context["outcome"].confirmed:
            messages.success(request, context["outcome"].message)
            return redirect("ballot_result", code=code, year=year, pk=pk)
    ballot.refresh_from_db()
    context.update(rows=_paper_rows(ballot, values), values=values,
                   counters=[c.counter for c in services.paper_counts_of(ballot=ballot)])
    return render(request, "conference/ballot_paper.html", context)


@login_required
def ballot_result(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    group_year, ballot = _ballot(request, code, year, pk)
    try:
        result = services.ballot_result(ballot=ballot)
    except services.ResultsHidden as exc:
        result, hidden = None, str(exc)
    else:
        hidden = ""
    return render(request, "conference/ballot_result.html", {
        "gy": group_year, "ballot": ballot, "result": result, "hidden": hidden,
        "rule_statement": services.rule_statement_of(ballot),
    })
