"""The dossier workflows as data, versioned by legal basis (issue #7; LEGAL.md §5.3, §5.5, §6).

Pure Python, no Django. A `WorkflowSet` holds the procedures in force between two dates; a dossier
keeps the key of the set and of the procedure it was opened under, so a later change of the rules
never moves a dossier already on its way. Nothing here is a code branch: the services walk the
steps as listed.

Each step names
* the role that acts on it (thidua.org.models.Role values);
* its deadline in working days from the day the dossier reached it (thidua.lib.workdays);
* the documents required before the dossier may leave it, per award code ("*": every code;
  "bao_cao" is the achievement report, template 03 for a person and 02 for a collective);
* the days of public consultation (lấy ý kiến công khai) to hold during the step, per award code;
* whether the standard route of the eligibility engine (or an override with a reason, Nghị định
  152/2025 Điều 4) is needed to leave it, and whether the step decides.

What is [U] in LEGAL.md (deadlines, consultation days) is a setting: `THIDUA_DOSSIER_WORKFLOW`
overrides `<procedure>.<step>.days` and `<procedure>.<step>.consultation` per workflow set key
(or "*" for every set), e.g. ``{"*": {"regular.ban.days": 15}}``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass


def gettext_noop(text: str) -> str:
    """Marks a name for the English catalogue (makemessages looks for this name; the module stays
    free of Django). The text stays Vietnamese here; the pages translate it where they show it."""
    return text


UNIT_OFFICER = "unit_officer"
GROUP_LEADER_OFFICER = "group_leader_officer"
BOARD_OFFICER = "board_officer"
COUNCIL_MEMBER = "council_member"

# --- Documents (LEGAL.md §6.1) --------------------------------------------------------------------

DOCUMENTS: Mapping[str, str] = {
    "to_trinh": gettext_noop("Tờ trình đề nghị khen thưởng kèm danh sách (Mẫu 01)"),
    "bao_cao_02": gettext_noop("Báo cáo thành tích tập thể (Mẫu 02)"),
    "bao_cao_03": gettext_noop("Báo cáo thành tích cá nhân (Mẫu 03)"),
    "tom_tat": gettext_noop("Báo cáo tóm tắt thành tích có xác nhận của cấp trình"),
    "sang_kien": gettext_noop("Quyết định công nhận sáng kiến và xác nhận hiệu quả, phạm vi ảnh hưởng"),
    "bien_ban_cum": gettext_noop("Biên bản họp và kết quả bỏ phiếu của cụm, khối thi đua"),
    "bien_ban_hoi_dong": gettext_noop("Biên bản họp Hội đồng Thi đua – Khen thưởng và kết quả bỏ phiếu kín"),
    "y_kien": gettext_noop("Ý kiến của cấp ủy, cơ quan quản lý cán bộ và các cơ quan liên quan"),
    "ban_khai_bmvnah": gettext_noop("Bản khai đề nghị xét tặng danh hiệu Bà mẹ Việt Nam Anh hùng"),
    "liet_si": gettext_noop("Bằng Tổ quốc ghi công, giấy chứng nhận liệt sĩ hoặc thương binh của các con, chồng"),
    "xac_nhan_xa": gettext_noop("Xác nhận của Ủy ban nhân dân cấp xã"),
    "ban_khai_khang_chien": gettext_noop("Bản khai thành tích tham gia kháng chiến"),
    "giay_to_khang_chien": gettext_noop("Giấy tờ chứng minh thời gian tham gia kháng chiến"),
    "khac": gettext_noop("Tài liệu khác"),
}
#: The report template by subject: Mẫu 03 for a person, Mẫu 02 for a collective (LEGAL.md §6.1).
REPORT = "bao_cao"
REPORT_BY_SUBJECT = {"person": "bao_cao_03", "collective": "bao_cao_02"}

# Codes whose standard dossier carries the recognition of an initiative (Luật Điều 22, 23).
_INITIATIVE_CODES = ("CSTDCS", "CSTD_TINH", "CSTD_TQ")
# State-level forms: public consultation before the Council meets [U] (LEGAL.md §6.4).
_STATE_CODES = ("BK_TTG", "CO_CP", "CSTD_TQ", "HCLD3", "HCLD2", "HCLD1", "AHLD")
_PROVINCE_CODES = ("BK_TINH", "CO_TINH", "CSTD_TINH")

# --- Default authority by code (LEGAL.md §8, from 01/07/2025) ----------------------------------------

AUTHORITY: Mapping[str, str] = {
    **dict.fromkeys(("LDTT", "CSTDCS", "TTLDTT", "GIAY_KHEN"), "Thủ trưởng cơ quan, đơn vị"),
    **dict.fromkeys(("CSTD_TINH", "TTLDXS", "CO_TINH", "BK_TINH"), "Chủ tịch Ủy ban nhân dân tỉnh"),
    **dict.fromkeys(("CSTD_TQ", "CO_CP", "BK_TTG"), "Thủ tướng Chính phủ"),
    **dict.fromkeys(
        ("HCLD3", "HCLD2", "HCLD1", "HCDL3", "HCDL2", "HCDL1", "HCHCM", "HCSV", "AHLD", "BMVNAH",
         "HCKC1", "HCKC2", "HCKC3", "HUYCKC1", "HUYCKC2"),
        "Chủ tịch nước",
    ),
}  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class Step:
    key: str
    name: str
    role: str
    days: int  # deadline in working days from arrival at the step
    article: str
    documents: Mapping[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)
    consultation: Mapping[str, int] = dataclasses.field(default_factory=dict)  # code or "*" → days
    needs_group: bool = False  # skipped for a dossier that has no cluster or block
    checks_eligibility: bool = False
    decides: bool = False

    def documents_for(self, *, code: str, subject: str) -> tuple[str, ...]:
        """The document kinds required to leave this step for `code` and a `subject` (person or
        collective), in order, without repeats."""
        kinds = [*self.documents.get("*", ()), *self.documents.get(code, ())]
        resolved = [REPORT_BY_SUBJECT[subject] if kind == REPORT else kind for kind in kinds]
        return tuple(dict.fromkeys(resolved))

    def consultation_days(self, code: str) -> int:
        return self.consultation.get(code, self.consultation.get("*", 0))


@dataclass(frozen=True, kw_only=True)
class Procedure:
    key: str
    name: str
    article: str
    steps: tuple[Step, ...]
    codes: tuple[str, ...] = ()  # empty: any code

    def step(self, key: str) -> Step:
        for step in self.steps:
            if step.key == key:
                return step
        raise KeyError(key)


@dataclass(frozen=True, kw_only=True)
class WorkflowSet:
    key: str
    basis: str
    effective_from: dt.date
    effective_to: dt.date | None
    procedures: Mapping[str, Procedure]

    def in_force_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


# --- The procedures ----------------------------------------------------------------------------------

_LAW = "Luật Thi đua, khen thưởng 2022"


def _unit_step(*, days: int, documents: Mapping[str, tuple[str, ...]], article: str) -> Step:
    return Step(key="don_vi", name=gettext_noop("Đơn vị lập hồ sơ, trình"), role=UNIT_OFFICER, days=days,
                documents=documents, article=article)  # fmt: skip


def _procedures(decree: str) -> dict[str, Procedure]:
    regular = Procedure(
        key="regular", name=gettext_noop("Thủ tục thông thường"),
        article=f"{_LAW}, Điều 84 [P]; {decree} (hồ sơ, thủ tục); tuyến trình LEGAL.md §6.2",
        steps=(
            _unit_step(
                days=10, article=f"{decree}: hồ sơ gồm tờ trình (Mẫu 01), báo cáo thành tích (Mẫu 02, 03)",
                documents={"*": ("to_trinh", REPORT), **dict.fromkeys(_INITIATIVE_CODES, ("sang_kien",))},
            ),
            Step(key="cum", name=gettext_noop("Cụm trưởng, khối trưởng tổng hợp, trình"), role=GROUP_LEADER_OFFICER, days=10,
                 needs_group=True, documents={"*": ("bien_ban_cum",)},
                 article="LEGAL.md §6.1: biên bản và kết quả bỏ phiếu của cụm, khối"),
            Step(key="ban", name=gettext_noop("Ban Thi đua – Khen thưởng thẩm định"), role=BOARD_OFFICER, days=20,
                 checks_eligibility=True,
                 consultation={**dict.fromkeys(_STATE_CODES, 10), **dict.fromkeys(_PROVINCE_CODES, 5)},
                 article=f"{_LAW}, Điều 5 (công khai); {decree}, Điều 4; thời hạn [U] LEGAL.md §6.3"),
            Step(key="hoi_dong", name=gettext_noop("Hội đồng Thi đua – Khen thưởng xét"), role=COUNCIL_MEMBER, days=10,
                 documents={"*": ("bien_ban_hoi_dong",)},
                 article="LEGAL.md §6.1: biên bản họp Hội đồng và kết quả bỏ phiếu kín (Nghị định 152/2025/NĐ-CP, "
                         "Điều 42 khoản 1 điểm c, cho Bằng khen của Thủ tướng)"),
            Step(key="quyet_dinh", name=gettext_noop("Quyết định khen thưởng"), role=BOARD_OFFICER, days=10, decides=True,
                 article="LEGAL.md §8: thẩm quyền quyết định"),
        ),
    )  # fmt: skip
    adhoc = Procedure(
        key="adhoc", name=gettext_noop("Khen thưởng đột xuất"),
        article=f"{_LAW}, Điều 8; Nghị định 98/2023/NĐ-CP, Điều 3 khoản 3 (thành tích đột xuất)",
        steps=(
            _unit_step(days=3, documents={"*": ("to_trinh", "tom_tat")},
                       article="LEGAL.md §5.3: hồ sơ rút gọn, báo cáo tóm tắt thành tích"),
            Step(key="ban", name=gettext_noop("Ban Thi đua – Khen thưởng thẩm định"), role=BOARD_OFFICER, days=5,
                 article="LEGAL.md §5.3: xử lý nhanh [U]"),
            Step(key="quyet_dinh", name=gettext_noop("Quyết định khen thưởng"), role=BOARD_OFFICER, days=5, decides=True,
                 article="LEGAL.md §8"),
        ),
    )  # fmt: skip
    simplified = Procedure(
        key="simplified", name=gettext_noop("Thủ tục đơn giản"),
        article=f"{_LAW}, Điều 85; LEGAL.md §5.3 (quyết định trong khoảng 10 ngày làm việc [U])",
        steps=(
            _unit_step(days=2, documents={"*": ("to_trinh", "tom_tat")},
                       article="LEGAL.md §5.3: 01 bộ gồm tờ trình và tóm tắt thành tích có xác nhận"),
            Step(key="quyet_dinh", name=gettext_noop("Ban Thi đua – Khen thưởng thẩm định và trình quyết định"),
                 role=BOARD_OFFICER, days=10, decides=True, article=f"{_LAW}, Điều 85"),
        ),
    )  # fmt: skip
    bmvnah = Procedure(
        key="bmvnah", name=gettext_noop("Xét tặng danh hiệu Bà mẹ Việt Nam Anh hùng"), codes=("BMVNAH",),
        article="Pháp lệnh danh hiệu vinh dự Nhà nước “Bà mẹ Việt Nam anh hùng” (2012, sửa đổi 2013); "
                "LEGAL.md §5.5 (tiêu chuẩn, trình Chủ tịch nước)",
        steps=(
            Step(key="don_vi", name=gettext_noop("Ủy ban nhân dân cấp xã xác nhận, lập hồ sơ"), role=UNIT_OFFICER, days=10,
                 documents={"*": ("to_trinh", "ban_khai_bmvnah", "liet_si", "xac_nhan_xa")},
                 article="LEGAL.md §5.5: có từ 2 con là liệt sĩ, hoặc các trường hợp khác của Pháp lệnh"),
            Step(key="ban", name=gettext_noop("Sở Nội vụ thẩm định"), role=BOARD_OFFICER, days=20, checks_eligibility=True,
                 article="LEGAL.md §5.5: chức năng người có công chuyển sang Bộ Nội vụ năm 2025"),
            Step(key="hoi_dong", name=gettext_noop("Hội đồng Thi đua – Khen thưởng tỉnh xét"), role=COUNCIL_MEMBER, days=10,
                 documents={"*": ("bien_ban_hoi_dong",)}, article="LEGAL.md §5.5"),
            Step(key="trung_uong", name=gettext_noop("Trình Bộ Nội vụ, Thủ tướng, Chủ tịch nước"), role=BOARD_OFFICER,
                 days=30, article="LEGAL.md §5.5, §8: Chủ tịch nước quyết định danh hiệu vinh dự Nhà nước"),
            Step(key="quyet_dinh", name=gettext_noop("Ghi nhận quyết định của Chủ tịch nước"), role=BOARD_OFFICER, days=10,
                 decides=True, article="LEGAL.md §8"),
        ),
    )  # fmt: skip
    resistance = Procedure(
        key="resistance", name=gettext_noop("Khen thưởng thành tích kháng chiến"),
        codes=("HCKC1", "HCKC2", "HCKC3", "HUYCKC1", "HUYCKC2"),
        article=f"{_LAW}, Điều 8, Điều 9 (khen thưởng thành tích kháng chiến) [U thủ tục]",
        steps=(
            Step(key="don_vi", name=gettext_noop("Đơn vị, xã lập hồ sơ"), role=UNIT_OFFICER, days=10,
                 documents={"*": ("to_trinh", "ban_khai_khang_chien", "giay_to_khang_chien")},
                 article="[U] bản khai và giấy tờ chứng minh thời gian tham gia kháng chiến"),
            Step(key="ban", name=gettext_noop("Ban Thi đua – Khen thưởng thẩm định"), role=BOARD_OFFICER, days=20,
                 article="[U] LEGAL.md §6.3"),
            Step(key="trung_uong", name=gettext_noop("Trình cấp trên, Chủ tịch nước"), role=BOARD_OFFICER, days=30,
                 article="LEGAL.md §8: Chủ tịch nước quyết định huân chương, huy chương"),
            Step(key="quyet_dinh", name=gettext_noop("Ghi nhận quyết định"), role=BOARD_OFFICER, days=10, decides=True,
                 article="LEGAL.md §8"),
        ),
    )  # fmt: skip
    return {p.key: p for p in (regular, adhoc, simplified, bmvnah, resistance)}


WORKFLOW_SETS: tuple[WorkflowSet, ...] = (
    WorkflowSet(key="nd98-2023", basis=f"{_LAW}; Nghị định 98/2023/NĐ-CP",
                effective_from=dt.date(2024, 1, 1), effective_to=dt.date(2025, 6, 30),
                procedures=_procedures("Nghị định 98/2023/NĐ-CP")),
    WorkflowSet(key="nd152-2025", basis=f"{_LAW}; Nghị định 152/2025/NĐ-CP",
                effective_from=dt.date(2025, 7, 1), effective_to=None,
                procedures=_procedures("Nghị định 152/2025/NĐ-CP")),
)  # fmt: skip
PROCEDURE_NAMES = {key: p.name for key, p in WORKFLOW_SETS[-1].procedures.items()}


class WorkflowError(ValueError):
    pass


def _override_step(step: Step, field: str, value: object) -> Step:
    if field == "days":
        if not isinstance(value, int) or value < 0:
            raise WorkflowError(f"{step.key}.days phải là số nguyên không âm")
        return dataclasses.replace(step, days=value)
    if field == "consultation":
        if isinstance(value, int) and value >= 0:
            return dataclasses.replace(step, consultation={"*": value})
        if isinstance(value, Mapping) and all(isinstance(v, int) and v >= 0 for v in value.values()):
            return dataclasses.replace(step, consultation=dict(value))
        raise WorkflowError(f"{step.key}.consultation phải là số ngày hoặc bảng mã → số ngày")
    raise WorkflowError(f"Không thay đổi được «{field}» của bước {step.key} (chỉ days, consultation)")


def workflow_override(workflow: WorkflowSet, overrides: Mapping[str, object]) -> WorkflowSet:
    """`workflow` with `<procedure>.<step>.<days|consultation>` replaced (the [U] settings)."""
    procedures = dict(workflow.procedures)
    for dotted, value in overrides.items():
        try:
            procedure_key, step_key, field = dotted.split(".")
            procedure = procedures[procedure_key]
            procedure.step(step_key)
        except (ValueError, KeyError):
            raise WorkflowError(f"Thiết lập quy trình không hợp lệ: «{dotted}»") from None
        steps = tuple(_override_step(s, field, value) if s.key == step_key else s for s in procedure.steps)
        procedures[procedure_key] = dataclasses.replace(procedure, steps=steps)
    return dataclasses.replace(workflow, procedures=procedures)


def workflow_table(overrides: Mapping[str, Mapping[str, object]] | None = None) -> tuple[WorkflowSet, ...]:
    overrides = overrides or {}
    return tuple(
        workflow_override(w, {**overrides.get("*", {}), **overrides.get(w.key, {})}) for w in WORKFLOW_SETS
    )


def workflow_on(day: dt.date, table: tuple[WorkflowSet, ...] = WORKFLOW_SETS) -> WorkflowSet:
    """The set in force on `day`; before the first one, the first (dossiers of older years)."""
    for workflow in table:
        if workflow.in_force_on(day):
            return workflow
    return table[0]


def workflow_by_key(key: str, table: tuple[WorkflowSet, ...] = WORKFLOW_SETS) -> WorkflowSet:
    for workflow in table:
        if workflow.key == key:
            return workflow
    raise KeyError(key)
