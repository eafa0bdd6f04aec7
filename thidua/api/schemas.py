"""Input and output shapes of the REST API (data only: no business rules here).

Decimal figures (targets, actuals, points, maximum points, parameters, award totals) are JSON
strings in plain notation with a dot and no padding ("112.88", "100", "-0.5"), exactly as stored:
a binary float cannot carry them. The one exception is the scores endpoint, which returns the
contract of COVENANT_FORMAT.md as it is (`thidua score GROUP YEAR --json`): floats of the
two-decimal scores.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema
from pydantic import StrictFloat, StrictInt, StrictStr

# Codes of groups, units and criteria in paths: no slash, no control character.
CODE_PATTERN = r"^[^/\x00-\x1f\x7f]{1,40}$"
# People's and collectives' ids (awards.Person/Collective.external_id) run to 60 characters.
ID_PATTERN = r"^[^/\x00-\x1f\x7f]{1,60}$"
MIN_YEAR, MAX_YEAR = 1900, 2200
MAX_LIMIT = 500
Figure = StrictStr | StrictInt | StrictFloat | None


# ------------------------------------------------------------------------------ errors


class ErrorOut(Schema):
    detail: str = Field(description="Thông báo lỗi bằng tiếng Việt.")


class FieldErrorOut(Schema):
    loc: list[str | int] = Field(description="Vị trí của giá trị sai, ví dụ [\"body\", \"payload\", \"value\"].")
    msg: str = Field(description="Lỗi bằng tiếng Việt.")
    type: str = Field(description="Mã loại lỗi (của pydantic).")


class ValidationErrorOut(Schema):
    detail: str = Field(description="Thông báo lỗi bằng tiếng Việt.")
    errors: list[FieldErrorOut] = Field(default_factory=list)
    needs_confirmation: bool = Field(
        False, description="Số liệu hợp lệ nhưng bất thường: gửi lại với \"confirmed\": true nếu đúng.")


# ------------------------------------------------------------------------------ pages


class PageQuery(Schema):
    limit: int = Field(100, ge=1, le=MAX_LIMIT, description="Số mục tối đa mỗi trang (1–500).")
    offset: int = Field(0, ge=0, le=1_000_000, description="Bỏ qua bao nhiêu mục đầu.")


class YearQuery(Schema):
    year: int | None = Field(None, ge=MIN_YEAR, le=MAX_YEAR, description="Chỉ các cụm, khối của năm này.")


class Page(Schema):
    count: int = Field(description="Tổng số mục (mọi trang).")
    limit: int
    offset: int


# ------------------------------------------------------------------------------ groups


class UnitRef(Schema):
    code: str
    name: str
    short_name: str


class MemberOut(UnitRef):
    kind: str
    position: Literal["leader", "deputy", "member"]


class GroupYearSummaryOut(Schema):
    code: str
    name: str
    kind: str
    level: str
    year: int
    organiser: str
    leader: UnitRef | None
    member_count: int
    has_covenant: bool


class GroupYearPage(Page):
    items: list[GroupYearSummaryOut]


class GroupYearOut(Schema):
    code: str
    name: str
    kind: str
    level: str
    year: int
    organiser: str
    organiser_unit: str | None = Field(description="Mã đơn vị tổ chức (Ban Thi đua – Khen thưởng của đơn vị này).")
    flag_kind: str
    members: list[MemberOut] = Field(description="Cụm trưởng, cụm phó, rồi các thành viên theo thứ tự tên.")
    leader: UnitRef | None
    deputies: list[UnitRef]
    flag_holder: UnitRef | None
    council_member: str | None
    conference_date: dt.date | None
    conference_place: str
    has_covenant: bool


# ------------------------------------------------------------------------------ covenant


class CriterionOut(Schema):
    code: str
    title: str
    max_points: str
    measure: str
    direction: str
    aggregate: str
    method: str
    params: dict[str, str] = Field(description="Tham số của phương pháp chấm; số ở dạng chuỗi thập phân.")


class ContentOut(Schema):
    code: str
    title: str
    max_points: str
    criteria: list[CriterionOut]


class CovenantOut(Schema):
    group: str
    year: int
    status: str
    status_label: str
    signed_on: dt.date | None
    scale: str
    cross_margin_pct: str
    contents: list[ContentOut]


# ------------------------------------------------------------------------------ scores


class RankingLineOut(Schema):
    rank: int
    unit: str
    total: float
    adjustments: float
    contents: dict[str, float]
    criteria: dict[str, float]


class ScoresOut(Schema):
    """Exactly the object of `thidua score GROUP YEAR --json` (COVENANT_FORMAT.md)."""

    group: str
    year: int
    scale: int | float
    ranking: list[RankingLineOut]


# ------------------------------------------------------------------------------ results


class ReportOut(Schema):
    status: str
    status_label: str
    editable: bool
    lock_message: str


class ResultOut(Schema):
    criterion: str
    content: str
    title: str
    measure: str
    method: str
    max_points: str
    target: str | None
    actual: str | None
    baseline: str | None
    points: str | None
    note: str | None
    version: int = Field(description="0: chưa có số liệu.")
    updated_at: dt.datetime | None


class UnitResultsPage(Page):
    group: str
    year: int
    unit: UnitRef
    report: ReportOut
    items: list[ResultOut]


class ResultWriteIn(Schema):
    field: Literal["target", "actual", "baseline", "points", "note"] = Field(
        description="target: kế hoạch, actual: thực hiện, baseline: kỳ trước, points: điểm (tiêu chí chấm "
                    "thủ công), note: ghi chú.")
    value: Figure = Field(
        description="Giá trị mới: số JSON, hoặc chuỗi theo cách viết Việt Nam (\"1.234,5\") hay thông thường "
                    "(\"1234.5\"); null hoặc \"\" để xóa. Với note: văn bản.")
    previous: Figure = Field(
        description="Giá trị bạn đã thấy trong trường này (null nếu trống). Nếu ai đó đã lưu giá trị khác "
                    "trước bạn, yêu cầu bị từ chối với mã 409 và giá trị mới nhất.")
    confirmed: bool = Field(False, description="Xác nhận một số liệu bất thường (ví dụ vượt 300% kế hoạch).")
    reason: str = Field("", max_length=500, pattern=r"^[^\x00]*$", description="Lý do sửa (ghi vào lịch sử).")


class ConflictOut(Schema):
    detail: str
    field: str
    current: str | None = Field(description="Giá trị mới nhất của trường (do người khác vừa lưu).")
    result: ResultOut


# ------------------------------------------------------------------------------ conference


class BallotOptionOut(Schema):
    id: int
    label: str
    unit: str | None


class BallotLineOut(Schema):
    option: int
    label: str
    unit: str | None
    votes: int
    passed: bool
    won: bool
    tied: bool


class BallotResultOut(Schema):
    electorate: int
    cast: int
    valid: int
    blank: int
    invalid: int
    quorum_met: bool
    quorum_needed: int
    minimum_votes: int
    lines: list[BallotLineOut] = Field(description="Nhiều phiếu nhất trước.")
    winners: list[int]
    tied: list[int]
    rule_statement: str
    outcome_statement: str


class BallotOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    electorate: str
    mode: str
    status: Literal["draft", "open", "closed"]
    status_label: str
    max_choices: int
    opened_at: dt.datetime | None
    closed_at: dt.datetime | None
    options: list[BallotOptionOut]
    result: BallotResultOut | None = Field(description="Chỉ có khi đã kết thúc bỏ phiếu.")
    result_note: str


class BallotPage(Page):
    items: list[BallotOut]


class ProposalOut(Schema):
    unit: UnitRef
    form: str
    form_label: str
    rank: int | None
    total: str | None
    basis: str
    status: str


class ProposalPage(Page):
    items: list[ProposalOut]
