"""Award dossiers (hồ sơ đề nghị khen thưởng): create, attach, advance, return, consult, decide,
revoke, and the bulk proposal from a conference's list (issue #7; LEGAL.md §5, §6).

A dossier walks the steps of its procedure as data (thidua.awards.workflows): each step has the
role that acts, the documents required before leaving it, a deadline in working days
(thidua.lib.workdays) and, for some awards, a public consultation period. Every transition is
race-safe on SQLite and PostgreSQL (the row is locked where the database can, and the update is
conditional on the step and status read) and writes a `DossierStep` and an audit event in the
same transaction. Refusals are `DossierError` with a Vietnamese message (nothing changed) or
`PermissionDenied` (thidua.awards.access).

The eligibility engine (thidua.awards.eligibility) gives the standard route of each dossier; the
Board's appraisal step needs it met or an override with a reason (Nghị định 152/2025/NĐ-CP,
Điều 4: a lower form is not a hard prerequisite). A decision records its number, date and
authority and adds the title or award to the history; revoking an award (Luật Thi đua, khen
thưởng 2022, Chương VII; LEGAL.md §6.5) flags every pending dossier that relied on it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from thidua.audit.services import audit_log
from thidua.awards import bmvnah, codes
from thidua.awards.access import board_covers, can_act, can_create_for
from thidua.awards.config import rule_table
from thidua.awards.eligibility import Eligibility, history_assess, person_assess
from thidua.awards.models import (
    PENDING,
    Collective,
    Decision,
    Dossier,
    DossierDocument,
    DossierSource,
    DossierStatus,
    DossierStep,
    Person,
    StepAction,
    TitleOrAward,
)
from thidua.awards.records import History, PersonHistory
from thidua.awards.rules import rule_set_for
from thidua.awards.selectors import history_of
from thidua.awards.workflows import (
    AUTHORITY,
    DOCUMENTS,
    Procedure,
    Step,
    WorkflowSet,
    workflow_by_key,
    workflow_on,
    workflow_table,
)
from thidua.lib.dates import format_date
from thidua.lib.workdays import Calendar, add_working_days, working_days_between
from thidua.org import policy
from thidua.org.models import GroupYear, Membership, Unit, User

CONFLICT = "Hồ sơ vừa được người khác xử lý; hãy tải lại trang để xem trạng thái mới."

#: The conference's award forms (thidua.conference.models.AwardForm) as award codes.
CONFERENCE_CODES = {"co_cp": "CO_CP", "co_tinh": "CO_TINH", "bk_ttg": "BK_TTG", "bk_tinh": "BK_TINH"}

#: Lower forms the standard route of a code stands on (LEGAL.md §5.1, §5.2): revoking one of them,
#: granted in or before the dossier's year, flags the dossier even where the engine has no rule.
PREREQUISITES: dict[str, frozenset[str]] = {
    "CSTDCS": frozenset({"LDTT"}),
    "CSTD_TINH": frozenset({"CSTDCS"}),
    "CSTD_TQ": frozenset({"CSTD_TINH"}),
    "BK_TINH": frozenset({"CSTDCS"}),
    "BK_TTG": frozenset({"BK_TINH", "CSTDCS"}),
    "HCLD3": frozenset({"BK_TTG", "CSTDCS"}),
    "HCLD2": frozenset({"HCLD3"}),
    "HCLD1": frozenset({"HCLD2"}),
    "TTLDXS": frozenset({"TTLDTT"}),
    "CO_CP": frozenset({"CO_TINH", "TTLDXS"}),
}


class DossierError(ValueError):
    """A refusal with a Vietnamese message; nothing was changed."""


# --- Configuration --------------------------------------------------------------------------------


_TABLES: dict[str, tuple[WorkflowSet, ...]] = {}


def workflows() -> tuple[WorkflowSet, ...]:
    """The workflow sets with THIDUA_DOSSIER_WORKFLOW applied (built once per distinct setting)."""
    overrides = getattr(settings, "THIDUA_DOSSIER_WORKFLOW", None)
    key = repr(overrides)
    if key not in _TABLES:
        _TABLES[key] = workflow_table(overrides)
    return _TABLES[key]


def calendar() -> Calendar:
    """Điều 112 khoản 3 Bộ luật Lao động (nghỉ bù) unless THIDUA_WORKDAYS_COMPENSATE is False."""
    return Calendar(compensate=getattr(settings, "THIDUA_WORKDAYS_COMPENSATE", True))


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def procedure_of(dossier: Dossier) -> Procedure:
    return workflow_by_key(dossier.workflow, workflows()).procedures[dossier.procedure]


def basis_of(dossier: Dossier) -> str:
    return workflow_by_key(dossier.workflow, workflows()).basis


def steps_of(dossier: Dossier) -> tuple[Step, ...]:
    """The steps this dossier walks: a cluster step only when it came through a cluster or block."""
    return tuple(s for s in procedure_of(dossier).steps if not s.needs_group or dossier.group_year_id)


def current_step(dossier: Dossier) -> Step:
    return procedure_of(dossier).step(dossier.step)


def _index(dossier: Dossier) -> int:
    return [s.key for s in steps_of(dossier)].index(dossier.step)


def required_documents(dossier: Dossier, step: Step | None = None) -> tuple[str, ...]:
    step = step or current_step(dossier)
    return step.documents_for(code=dossier.code, subject=dossier.subject_kind)


def missing_documents(dossier: Dossier, step: Step | None = None) -> list[str]:
    """Required kinds not attached yet (at any step: a report sent by the unit serves every step)."""
    attached = set(dossier.documents.values_list("kind", flat=True))
    return [kind for kind in required_documents(dossier, step) if kind not in attached]


def days_left(dossier: Dossier, *, today: dt.date | None = None) -> int | None:
    """Working days until the due date; negative when overdue; None without a deadline."""
    if dossier.due_on is None or not dossier.pending:
        return None
    return working_days_between(_today(today), dossier.due_on, calendar=calendar())


# --- Eligibility (the engine on the database's history, revoked awards left out) -------------------


def _revoked(subject: Person | Collective) -> set[tuple[str, int]]:
    """(code, year) of revoked grants, less those decided again since: stripping by (code, year)
    must not remove the grant in force beside a revoked one."""
    revoked = set(subject.grants.filter(revoked_on__isnull=False).values_list("code", "year"))
    return revoked - set(subject.grants.filter(revoked_on__isnull=True).values_list("code", "year"))


def _strip(record, revoked: set[tuple[str, int]]):
    if not revoked:
        return record
    keep = lambda grants: tuple(g for g in grants if (g.code, g.year) not in revoked)  # noqa: E731
    return dataclasses.replace(record, titles=keep(record.titles), awards=keep(record.awards))


def _history(dossier: Dossier, *, revoked: set[tuple[str, int]]) -> History:
    if dossier.person_id:
        return history_of(people=Person.objects.filter(pk=dossier.person_id), collectives=Collective.objects.none())
    collective = dossier.collective
    members = Q(collective=collective) | (Q(unit=collective.unit) if not collective.part_of else Q(pk__in=[]))
    history = history_of(people=Person.objects.filter(members), collectives=Collective.objects.filter(pk=collective.pk))
    return dataclasses.replace(history, collectives=tuple(_strip(c, revoked) for c in history.collectives))


def _bmvnah_eligibility(dossier: Dossier) -> Eligibility:
    """Bà mẹ Việt Nam Anh hùng: the cases of LEGAL.md §5.5 on the facts recorded on the dossier."""
    if not dossier.facts:
        met, reasons = False, ("Chưa ghi thông tin về các con, chồng và bản thân bà mẹ để xét tiêu chuẩn "
                               f"— {bmvnah.SOURCE}.",)  # fmt: skip
    else:
        met, reasons = bmvnah.bmvnah_assess(bmvnah.facts_from(dossier.facts))
    return Eligibility(id=dossier.subject.external_id, subject=codes.PERSON, code=dossier.code, year=dossier.year,
                       eligible=met, reasons=reasons, checks=(), basis=bmvnah.SOURCE, rule_set="bmvnah")


def dossier_eligibility(dossier: Dossier, *, revoked: set[tuple[str, int]] | None = None) -> Eligibility | None:
    """The engine's answer for the dossier's code and year (for Bà mẹ Việt Nam Anh hùng, the
    criteria of thidua.awards.bmvnah), or None for a code without rules (ad hoc merit, resistance:
    judged on the documents)."""
    if dossier.code == "BMVNAH":
        return _bmvnah_eligibility(dossier)
    kind = dossier.subject_kind
    if dossier.code not in (codes.PERSON_CODES if kind == codes.PERSON else codes.COLLECTIVE_CODES):
        return None
    revoked = _revoked(dossier.subject) if revoked is None else revoked
    history = _history(dossier, revoked=revoked)
    rules = rule_set_for(year=dossier.year, table=rule_table())
    if kind == codes.PERSON:
        person: PersonHistory = _strip(history.people[0], revoked)
        return person_assess(person=person, year=dossier.year, rules=rules, only=(dossier.code,))[0]
    assessment = history_assess(history=history, year=dossier.year, rules=rules)
    return assessment.result(id=dossier.collective.external_id, code=dossier.code)


# --- Writing helpers ------------------------------------------------------------------------------


def _check_actor(actor: User | None, dossier: Dossier, step: Step) -> None:
    if actor is None or not can_act(actor, dossier, step):
        raise PermissionDenied(f"Bạn không xử lý bước «{step.name}» của hồ sơ này.")


def _check_pending(dossier: Dossier) -> None:
    if not dossier.pending:
        raise DossierError(f"Hồ sơ đã kết thúc ({dossier.get_status_display().lower()}); không thay đổi được nữa.")


def _locked(dossier: Dossier) -> Dossier:
    """The row locked for this transaction, refused if someone moved it since it was read."""
    fresh = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if (fresh.step, fresh.status) != (dossier.step, dossier.status):
        raise DossierError(CONFLICT)
    return fresh


def _move(dossier: Dossier, **values: object) -> None:
    """Conditional update: only if the step and status are still those read (both databases)."""
    updated = Dossier.objects.filter(pk=dossier.pk, step=dossier.step, status=dossier.status).update(**values)
    if updated != 1:
        raise DossierError(CONFLICT)
    for name, value in values.items():
        setattr(dossier, name, value)


def _log(dossier: Dossier, *, action: str, actor: User | None, from_step: str = "", to_step: str = "",
         reason: str = "", summary: str = "", data: dict | None = None) -> None:  # fmt: skip
    DossierStep.objects.create(dossier=dossier, action=action, from_step=from_step, to_step=to_step,
                               actor=actor if getattr(actor, "pk", None) else None, reason=reason,
                               due_on=dossier.due_on)  # fmt: skip
    audit_log(action=f"dossier.{action}", actor=actor, target=dossier, summary=summary or str(dossier),
              data={"step": dossier.step, "status": dossier.status, **(data or {})})  # fmt: skip


def _due(step: Step, day: dt.date) -> dt.date:
    return add_working_days(day, step.days, calendar=calendar())


def _names(kinds: Sequence[str]) -> str:
    return "; ".join(DOCUMENTS.get(kind, kind) for kind in kinds)


# --- Create ---------------------------------------------------------------------------------------


def dossier_create(
    *,
    code: str,
    year: int,
    procedure: str,
    actor: User | None,
    person: Person | None = None,
    collective: Collective | None = None,
    unit: Unit | None = None,
    source: str = DossierSource.UNIT,
    group_year: GroupYear | None = None,
    proposal=None,
    summary: str = "",
    today: dt.date | None = None,
    check_actor: bool = True,
) -> Dossier:
    """Open a dossier at the first step of `procedure`, under the workflow set in force today."""
    if (person is None) == (collective is None):
        raise DossierError("Hồ sơ đề nghị cho đúng một cá nhân hoặc một tập thể.")
    subject = person or collective
    kind = codes.PERSON if person is not None else codes.COLLECTIVE
    entry = codes.CODES.get(code)
    if entry is None:
        raise DossierError(f"Không có hình thức khen thưởng mã «{code}».")
    if kind not in entry.subjects:
        who = "cá nhân" if kind == codes.PERSON else "tập thể"
        raise DossierError(f"{entry.name} không dành cho {who}.")
    # The column is a small integer: a year past 32767 is a database error on PostgreSQL, and a
    # year of achievement before 1900 or after this calendar year is a typing mistake.
    this_year = timezone.localdate().year
    if not 1900 <= year <= this_year:
        raise DossierError(f"Năm thành tích «{year}» phải từ 1900 đến {this_year}.")
    day = _today(today)
    workflow = workflow_on(day, workflows())
    chosen = workflow.procedures.get(procedure)
    if chosen is None:
        raise DossierError(f"Không có thủ tục «{procedure}».")
    if chosen.codes and code not in chosen.codes:
        allowed = ", ".join(codes.code_name(c) for c in chosen.codes)
        raise DossierError(f"{chosen.name} chỉ dùng cho: {allowed}.")
    dedicated = [p for p in workflow.procedures.values() if code in p.codes]
    if dedicated and chosen not in dedicated:
        raise DossierError(f"{entry.name} đi theo thủ tục «{dedicated[0].name}».")
    unit = unit or subject.unit
    if check_actor and (actor is None or not can_create_for(actor, unit)):
        raise PermissionDenied(f"Bạn không lập hồ sơ đề nghị khen thưởng cho {unit}.")
    if group_year is not None and not Membership.objects.filter(group_year=group_year, unit=unit).exists():
        raise DossierError(f"{unit} không phải thành viên của {group_year}.")
    first = chosen.steps[0]
    with transaction.atomic():
        # The nominee's row locked first: two officers opening the same award at once are
        # serialised here, and the second sees the first's dossier (PostgreSQL; SQLite serialises
        # writers itself).
        type(subject).objects.select_for_update().filter(pk=subject.pk).first()
        pending = Dossier.objects.filter(code=code, year=year, status__in=PENDING, person=person, collective=collective)
        if pending.exists():
            raise DossierError(f"{subject} đã có hồ sơ {entry.name} năm {year} đang xét.")
        dossier = Dossier.objects.create(
            person=person, collective=collective, code=code, year=year, unit=unit, group_year=group_year,
            proposal=proposal, source=source, workflow=workflow.key, procedure=procedure, step=first.key,
            status=DossierStatus.DRAFT, step_since=day, due_on=_due(first, day), summary=summary.strip(),
            created_by=actor if getattr(actor, "pk", None) else None,
        )  # fmt: skip
        _log(dossier, action=StepAction.CREATE, actor=actor, to_step=first.key,
             data={"code": code, "year": year, "procedure": procedure, "workflow": workflow.key})
    return dossier


# --- Documents ------------------------------------------------------------------------------------


def dossier_attach(*, dossier: Dossier, kind: str, upload: UploadedFile, actor: User | None) -> DossierDocument:
    """Attach a document of `kind` at the current step. The file is accepted by what its bytes are
    (thidua.reporting.evidence.evidence_inspect) and stored under MEDIA_ROOT with a random name."""
    from thidua.reporting.evidence import clean_name, evidence_inspect
    from thidua.reporting.services import ReportingError

    _check_pending(dossier)
    step = current_step(dossier)
    _check_actor(actor, dossier, step)
    if kind not in DOCUMENTS:
        raise DossierError(f"Không có loại tài liệu «{kind}».")
    try:
        checked = evidence_inspect(upload=upload)
    except ReportingError as exc:
        raise DossierError(str(exc)) from None
    name = clean_name(upload.name)
    document = None
    try:
        with transaction.atomic():
            _locked(dossier)
            document = DossierDocument(dossier=dossier, kind=kind, step=step.key, original_name=name,
                                       content_type=checked.content_type, size=checked.size,
                                       sha256=checked.sha256, uploaded_by=actor)  # fmt: skip
            document.file.save(name, upload, save=False)
            document.save()
            audit_log(action="dossier.document_added", actor=actor, target=dossier,
                      summary=f"{DOCUMENTS[kind]}: {name}",
                      data={"kind": kind, "name": name, "sha256": checked.sha256, "size": checked.size})
    except BaseException:
        if document is not None and document.file.name:
            document.file.storage.delete(document.file.name)  # nothing stored without its row
        raise
    return document


# --- Transitions ----------------------------------------------------------------------------------


def _consultation_block(dossier: Dossier, step: Step) -> str:
    days = step.consultation_days(dossier.code)
    if not days or dossier.consultation_closed:
        return ""
    if dossier.consultation_from is None:
        return (f"Cần lấy ý kiến công khai {days} ngày làm việc đối với {codes.code_name(dossier.code)} "
                "trước khi chuyển bước.")  # fmt: skip
    return f"Đang lấy ý kiến công khai đến ngày {format_date(dossier.consultation_to)}; hãy kết thúc lấy ý kiến trước."


def advance_blockers(dossier: Dossier) -> list[str]:
    """Why the dossier cannot leave its step now (empty: it can), for the page and the service."""
    step = current_step(dossier)
    blockers = []
    missing = missing_documents(dossier, step)
    if missing:
        blockers.append(f"Chưa đủ tài liệu để chuyển bước «{step.name}». Còn thiếu: {_names(missing)}.")
    consultation = _consultation_block(dossier, step)
    if consultation:
        blockers.append(consultation)
    if step.checks_eligibility and not dossier.override_reason:
        result = dossier_eligibility(dossier)
        if result is not None and not result.eligible and dossier.code == "BMVNAH":
            blockers.append(f"Chưa đủ tiêu chuẩn Bà mẹ Việt Nam Anh hùng. {' '.join(result.reasons)}")
        elif result is not None and not result.eligible:
            blockers.append(
                "Theo tiêu chuẩn thông thường chưa đủ điều kiện; ghi nhận lý do đề nghị theo thành tích "
                "(Nghị định 152/2025/NĐ-CP, Điều 4) nếu vẫn trình."
            )
    return blockers


def dossier_advance(*, dossier: Dossier, actor: User | None, today: dt.date | None = None) -> Dossier:
    """Send the dossier on to the next step, if the current step's documents are all attached, its
    consultation is over and (Board appraisal) the standard route is met or overridden."""
    _check_pending(dossier)
    step = current_step(dossier)
    _check_actor(actor, dossier, step)
    if step.decides:
        raise DossierError("Bước này kết thúc bằng quyết định khen thưởng; hãy ghi nhận quyết định.")
    blockers = advance_blockers(dossier)
    if blockers:
        raise DossierError(" ".join(blockers))
    steps = steps_of(dossier)
    following = steps[_index(dossier) + 1]
    day = _today(today)
    with transaction.atomic():
        _locked(dossier)
        _move(dossier, step=following.key, status=DossierStatus.IN_PROGRESS, step_since=day,
              due_on=_due(following, day), consultation_from=None, consultation_to=None,
              consultation_closed=False)  # fmt: skip
        _log(dossier, action=StepAction.ADVANCE, actor=actor, from_step=step.key, to_step=following.key,
             summary=f"{dossier}: {step.name} → {following.name}")
    return dossier


def dossier_return(*, dossier: Dossier, reason: str, actor: User | None, today: dt.date | None = None) -> Dossier:
    """Return the dossier to the step before (the one that sent it), with a reason it will see."""
    _check_pending(dossier)
    step = current_step(dossier)
    _check_actor(actor, dossier, step)
    reason = (reason or "").strip()
    if not reason:
        raise DossierError("Cần ghi lý do trả lại hồ sơ.")
    index = _index(dossier)
    if index == 0:
        raise DossierError("Hồ sơ đang ở bước đầu tiên; không có bước nào để trả lại.")
    previous = steps_of(dossier)[index - 1]
    day = _today(today)
    with transaction.atomic():
        _locked(dossier)
        _move(dossier, step=previous.key, status=DossierStatus.RETURNED, step_since=day,
              due_on=_due(previous, day), consultation_from=None, consultation_to=None,
              consultation_closed=False)  # fmt: skip
        _log(dossier, action=StepAction.RETURN, actor=actor, from_step=step.key, to_step=previous.key,
             reason=reason, summary=f"{dossier}: trả lại {previous.name}", data={"reason": reason})
    return dossier


def dossier_consultation(*, dossier: Dossier, action: str, actor: User | None, today: dt.date | None = None) -> Dossier:
    """Start (`start`) the public consultation of the current step, for its number of working days,
    or end it (`end`) once the period is over (LEGAL.md §6.4; the days are settings)."""
    _check_pending(dossier)
    step = current_step(dossier)
    _check_actor(actor, dossier, step)
    days = step.consultation_days(dossier.code)
    if not days:
        raise DossierError(f"Bước «{step.name}» không lấy ý kiến công khai đối với {codes.code_name(dossier.code)}.")
    day = _today(today)
    with transaction.atomic():
        fresh = _locked(dossier)
        # The consultation as it is now, not as the page read it: `_locked` compares step and
        # status only, and another officer may have started or ended it since.
        dossier.consultation_from, dossier.consultation_to, dossier.consultation_closed = (
            fresh.consultation_from, fresh.consultation_to, fresh.consultation_closed)
        if action == "start":
            if dossier.consultation_from is not None:
                raise DossierError("Đã bắt đầu lấy ý kiến công khai.")
            until = add_working_days(day, days, calendar=calendar())
            _move(dossier, consultation_from=day, consultation_to=until, consultation_closed=False)
            _log(dossier, action=StepAction.CONSULTATION_START, actor=actor, from_step=step.key,
                 reason=f"Lấy ý kiến công khai từ {format_date(day)} đến {format_date(until)}.")
        elif action == "end":
            if dossier.consultation_closed:
                raise DossierError("Đã kết thúc lấy ý kiến công khai.")
            if dossier.consultation_from is None:
                raise DossierError("Chưa bắt đầu lấy ý kiến công khai.")
            if day < dossier.consultation_to:
                raise DossierError(f"Chưa hết thời gian lấy ý kiến công khai (đến ngày {format_date(dossier.consultation_to)}).")
            _move(dossier, consultation_closed=True)
            _log(dossier, action=StepAction.CONSULTATION_END, actor=actor, from_step=step.key,
                 reason=f"Kết thúc lấy ý kiến công khai ngày {format_date(day)}.")
        else:
            raise DossierError("Thao tác lấy ý kiến không hợp lệ.")
    return dossier


def dossier_override(*, dossier: Dossier, reason: str, actor: User | None) -> Dossier:
    """Record why the dossier goes on although the standard route is not met (Nghị định 152/2025/
    NĐ-CP, Điều 4: a lower form is not a hard prerequisite). Board officers in scope only."""
    _check_pending(dossier)
    if actor is None or not (policy.is_board(actor) and board_covers(actor, dossier.unit)):
        raise PermissionDenied("Chỉ cán bộ Ban Thi đua – Khen thưởng ghi nhận đề nghị ngoài tiêu chuẩn thông thường.")
    if dossier.code == "BMVNAH":
        raise DossierError("Danh hiệu Bà mẹ Việt Nam Anh hùng xét theo tiêu chuẩn của Pháp lệnh; không đề nghị "
                           "ngoài tiêu chuẩn.")  # fmt: skip
    reason = (reason or "").strip()
    if not reason:
        raise DossierError("Cần ghi lý do đề nghị theo thành tích (Nghị định 152/2025/NĐ-CP, Điều 4).")
    with transaction.atomic():
        _locked(dossier)
        _move(dossier, override_reason=reason)
        _log(dossier, action=StepAction.OVERRIDE, actor=actor, from_step=dossier.step, reason=reason)
    return dossier


def dossier_record_facts(*, dossier: Dossier, values: dict, actor: User | None) -> Dossier:
    """Record the facts the criteria of Bà mẹ Việt Nam Anh hùng are judged on (LEGAL.md §5.5): the
    officer acting on the current step, or a Board officer in scope."""
    _check_pending(dossier)
    if dossier.code != "BMVNAH":
        raise DossierError("Chỉ hồ sơ Bà mẹ Việt Nam Anh hùng ghi thông tin này.")
    step = current_step(dossier)
    board = actor is not None and policy.is_board(actor) and board_covers(actor, dossier.unit)
    if not board:
        _check_actor(actor, dossier, step)
    try:
        facts = bmvnah.facts_from(values)
    except bmvnah.FactsError as exc:
        raise DossierError(str(exc)) from None
    recorded = dataclasses.asdict(facts)
    with transaction.atomic():
        _locked(dossier)
        _move(dossier, facts=recorded)
        audit_log(action="dossier.facts", actor=actor, target=dossier, summary=str(dossier), data=recorded)
    return dossier


def dossier_decide(
    *, dossier: Dossier, number: str, date: dt.date, authority: str = "", actor: User | None,
    today: dt.date | None = None,
) -> Decision:  # fmt: skip
    """Record the decision at the deciding step and add the title or award to the history."""
    _check_pending(dossier)
    step = current_step(dossier)
    _check_actor(actor, dossier, step)
    if not step.decides:
        raise DossierError(f"Hồ sơ đang ở bước «{step.name}», chưa đến bước quyết định.")
    number, authority = (number or "").strip(), (authority or AUTHORITY.get(dossier.code, "")).strip()
    if not number:
        raise DossierError("Cần ghi số quyết định.")
    if not authority:
        raise DossierError("Cần ghi cấp quyết định.")
    # A decision recognises the achievements of a year already begun and is recorded once signed.
    if date.year < dossier.year:
        raise DossierError(f"Ngày quyết định {format_date(date)} trước năm thành tích {dossier.year}.")
    if date > _today(today):
        raise DossierError(f"Ngày quyết định {format_date(date)} sau ngày hôm nay; ghi nhận quyết định đã ký.")
    subject = {"person": dossier.person, "collective": dossier.collective}
    with transaction.atomic():
        _locked(dossier)
        existing = TitleOrAward.objects.filter(code=dossier.code, year=dossier.year, revoked_on__isnull=True,
                                               **subject).first()  # fmt: skip
        if existing is not None:
            raise DossierError(f"Lịch sử đã ghi {codes.code_name(dossier.code)} năm {dossier.year} "
                               f"(quyết định số {existing.decision_number or 'không rõ'}).")  # fmt: skip
        # A revoked grant of the same year stays on record beside the new one (LEGAL.md §6.5).
        grant = TitleOrAward.objects.create(
            code=dossier.code, year=dossier.year, decision_number=number, decision_date=date,
            deciding_authority=authority, legal_basis=basis_of(dossier), **subject,
        )  # fmt: skip
        decision = Decision.objects.create(dossier=dossier, number=number, date=date, authority=authority,
                                           grant=grant, recorded_by=actor if getattr(actor, "pk", None) else None)
        _move(dossier, status=DossierStatus.DECIDED, due_on=None)
        _log(dossier, action=StepAction.DECIDE, actor=actor, from_step=step.key,
             reason=f"Quyết định số {number} ngày {format_date(date)} của {authority}.",
             data={"number": number, "date": date.isoformat(), "authority": authority, "grant": grant.pk})
    return decision


def dossier_reject(*, dossier: Dossier, reason: str, actor: User | None) -> Dossier:
    """The deciding level does not award (the council voted against, the authority refused)."""
    _check_pending(dossier)
    step = current_step(dossier)
    _check_actor(actor, dossier, step)
    reason = (reason or "").strip()
    if not reason:
        raise DossierError("Cần ghi lý do không khen thưởng.")
    with transaction.atomic():
        _locked(dossier)
        _move(dossier, status=DossierStatus.REJECTED, due_on=None)
        _log(dossier, action=StepAction.REJECT, actor=actor, from_step=step.key, reason=reason)
    return dossier


def dossier_withdraw(*, dossier: Dossier, reason: str, actor: User | None) -> Dossier:
    """The proposing unit withdraws its proposal (its officers and head, at any step)."""
    _check_pending(dossier)
    if actor is None or not policy.can_enter_unit_data(actor, dossier.unit):
        raise PermissionDenied("Chỉ cán bộ, thủ trưởng đơn vị đề nghị rút hồ sơ.")
    reason = (reason or "").strip()
    if not reason:
        raise DossierError("Cần ghi lý do rút hồ sơ.")
    with transaction.atomic():
        _locked(dossier)
        _move(dossier, status=DossierStatus.WITHDRAWN, due_on=None)
        _log(dossier, action=StepAction.WITHDRAW, actor=actor, from_step=dossier.step, reason=reason)
    return dossier


# --- Revocation -----------------------------------------------------------------------------------


def _relied_on(dossier: Dossier, grant: TitleOrAward, before: set[tuple[str, int]]) -> str:
    """Why `dossier` relied on `grant` ('' if it did not): the engine's standard route was met with
    the grant and is not without it, or the grant is a lower form the code's route stands on.
    A decided dossier is judged without its own award (as it was when proposed)."""
    if dossier.status == DossierStatus.DECIDED:
        before = before | {(dossier.code, dossier.year)}
    name = f"{codes.code_name(grant.code)} năm {grant.year}"
    if grant.decision_number:
        name += f" (quyết định số {grant.decision_number})"
    with_grant = dossier_eligibility(dossier, revoked=before)
    if with_grant is not None and with_grant.eligible:
        without = dossier_eligibility(dossier, revoked=before | {(grant.code, grant.year)})
        if without is not None and not without.eligible:
            missing = "; ".join(r for r in without.reasons if r.startswith("Không đạt"))
            return f"{name} đã bị hủy bỏ; theo tiêu chuẩn thông thường hồ sơ không còn đủ điều kiện: {missing}"
    if grant.code in PREREQUISITES.get(dossier.code, ()) and grant.year <= dossier.year:
        return f"{name} đã bị hủy bỏ; đây là hình thức mức thấp hơn mà {codes.code_name(dossier.code)} dựa vào."
    return ""


def award_revoke(*, grant: TitleOrAward, reason: str, actor: User | None, today: dt.date | None = None) -> list[Dossier]:
    """Revoke a title or award (Luật Thi đua, khen thưởng 2022, Chương VII; LEGAL.md §6.5): it stays
    on record with the date and reason, no longer counts for eligibility, and every pending dossier
    of the same person or collective that relied on it is flagged with the reason. Returns them.
    Awards already decided on a dossier that relied on it, of the same or a later year, are flagged
    for review too (LEGAL.md §6.5: "flags later awards for review"); they are not returned."""
    subject = grant.person or grant.collective
    if actor is None or not (policy.is_board(actor) and board_covers(actor, subject.unit)):
        raise PermissionDenied("Chỉ cán bộ Ban Thi đua – Khen thưởng hủy bỏ quyết định khen thưởng.")
    reason = (reason or "").strip()
    if not reason:
        raise DossierError("Cần ghi lý do hủy bỏ (Luật Thi đua, khen thưởng 2022, Chương VII).")
    if grant.revoked_on is not None:
        raise DossierError(f"{codes.code_name(grant.code)} năm {grant.year} đã bị hủy bỏ ngày {format_date(grant.revoked_on)}.")
    before = _revoked(subject)
    pending = Dossier.objects.filter(status__in=PENDING, person=grant.person, collective=grant.collective)
    pending = pending.select_related("person", "collective", "unit").exclude(code=grant.code, year=grant.year)
    decided = Dossier.objects.filter(status=DossierStatus.DECIDED, person=grant.person, collective=grant.collective,
                                     year__gte=grant.year).select_related("person", "collective", "unit")
    decided = decided.exclude(code=grant.code, year=grant.year)
    flagged = []
    with transaction.atomic():
        # Judged before the grant is marked: the history read then still holds it.
        reliance = [(dossier, _relied_on(dossier, grant, before)) for dossier in pending]
        later = [(dossier, _relied_on(dossier, grant, before)) for dossier in decided]
        updated = TitleOrAward.objects.filter(pk=grant.pk, revoked_on__isnull=True).update(
            revoked_on=_today(today), revoke_reason=reason
        )
        if updated != 1:
            raise DossierError(CONFLICT)
        audit_log(action="award.revoked", actor=actor, target=grant,
                  summary=f"{subject}: {codes.code_name(grant.code)} năm {grant.year}", data={"reason": reason})
        for dossier, why in reliance:
            if not why:
                continue
            text = f"{why} Lý do hủy bỏ: {reason}"
            Dossier.objects.filter(pk=dossier.pk).update(flagged=True, flag_reason=text)
            dossier.flagged, dossier.flag_reason = True, text
            _log(dossier, action=StepAction.FLAG, actor=actor, from_step=dossier.step, reason=text)
            flagged.append(dossier)
        for dossier, why in later:
            if not why:
                continue
            text = f"{why} Khen thưởng đã quyết định cần xem lại. Lý do hủy bỏ: {reason}"
            Dossier.objects.filter(pk=dossier.pk).update(flagged=True, flag_reason=text)
            dossier.flagged, dossier.flag_reason = True, text
            _log(dossier, action=StepAction.FLAG, actor=actor, from_step=dossier.step, reason=text)
    grant.revoked_on, grant.revoke_reason = _today(today), reason
    return flagged


# --- From a conference ----------------------------------------------------------------------------


def _collective_of(unit: Unit) -> Collective:
    """The collective that is the whole unit, created (named after the unit) when there is none."""
    found = Collective.objects.filter(unit=unit, part_of="").order_by("pk").first()
    if found is not None:
        return found
    external_id = unit.code if not Collective.objects.filter(external_id=unit.code).exists() else f"{unit.code}-DV"
    return Collective.objects.create(external_id=external_id, name=unit.name, unit=unit)


def dossiers_from_conference(
    *, group_year: GroupYear, actor: User | None, today: dt.date | None = None
) -> tuple[list[Dossier], list[str]]:
    """One regular dossier per proposal on the conference's list (thidua.conference.proposals) that
    has none yet, for the unit as a collective, through the cluster step. Returns (created, notes)."""
    from thidua.conference.models import AwardProposal, ProposalStatus
    from thidua.conference.proposals import can_run_conference

    if actor is None or not can_run_conference(actor, group_year):
        raise PermissionDenied("Chỉ cán bộ đơn vị cụm trưởng, khối trưởng và Ban Thi đua – Khen thưởng lập hồ sơ từ hội nghị.")
    proposals = (AwardProposal.objects.filter(group_year=group_year, status=ProposalStatus.PROPOSED)
                 .select_related("unit").order_by("rank", "pk"))  # fmt: skip
    if not proposals:
        raise DossierError("Hội nghị chưa có danh sách đề nghị khen thưởng.")
    created, notes = [], []
    with transaction.atomic():
        for proposal in proposals:
            code = CONFERENCE_CODES[proposal.form]
            if proposal.dossiers.exists():
                notes.append(f"{proposal.unit}: đã có hồ sơ {codes.code_name(code)}.")
                continue
            collective = _collective_of(proposal.unit)
            try:
                dossier = dossier_create(
                    collective=collective, code=code, year=group_year.year, procedure="regular",
                    source=DossierSource.CONFERENCE, unit=proposal.unit, group_year=group_year,
                    proposal=proposal, summary=proposal.basis, actor=actor, today=today, check_actor=False,
                )  # fmt: skip
            except DossierError as exc:
                notes.append(f"{proposal.unit}: {exc}")
                continue
            created.append(dossier)
        audit_log(action="dossier.from_conference", actor=actor, target=group_year,
                  summary=f"{group_year}: {len(created)} hồ sơ", data={"dossiers": [d.pk for d in created]})
    return created, notes
