"""Shapes of the API's award resources: people and collectives with their history, eligibility for
a year with its reasons, and award dossiers (list, detail, status). Data only."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from thidua.api.schemas import MAX_YEAR, MIN_YEAR, Page, UnitRef


class SubjectQuery(Schema):
    unit: str | None = Field(None, max_length=40, pattern=r"^[^\x00-\x1f\x7f]*$",
                             description="Chỉ cá nhân, tập thể của đơn vị có mã này (như đã ghi nhận).")
    q: str | None = Field(None, max_length=100, pattern=r"^[^\x00]*$",
                          description="Tìm theo họ tên, tên tập thể hoặc mã: những mục chứa chuỗi này, "
                                      "viết đúng dấu tiếng Việt.")


class AssessYearQuery(Schema):
    year: int | None = Field(None, ge=MIN_YEAR, le=MAX_YEAR,
                             description="Năm xét (mặc định: năm thi đua hiện hành).")


class RatingOut(Schema):
    year: int
    rating: str = Field(description="HTXS, HTT, HT hoặc KHT.")
    rating_label: str


class GrantOut(Schema):
    code: str
    name: str
    kind: str = Field(description="title: danh hiệu thi đua; award: hình thức khen thưởng.")
    year: int
    decision: str
    decision_date: dt.date | None
    authority: str
    basis: str


class InitiativeOut(Schema):
    id: str
    year: int
    scope: str
    scope_label: str
    recognised_by: str
    used_by: str | None = Field(description="Mã danh hiệu, hình thức đã dùng sáng kiến này; null: chưa dùng.")


class DisciplineOut(Schema):
    year: int
    level: str
    level_label: str


class PersonSummaryOut(Schema):
    id: str = Field(description="Mã cá nhân.")
    name: str
    unit: UnitRef = Field(description="Đơn vị như đã ghi nhận (có thể đã kết thúc hoạt động).")
    position: str


class PersonPage(Page):
    items: list[PersonSummaryOut]


class PersonOut(PersonSummaryOut):
    birth_year: int | None
    direct_worker: bool
    hired_on: dt.date | None
    collective: str | None = Field(description="Mã tập thể (bộ phận) của cá nhân.")
    ratings: list[RatingOut]
    titles: list[GrantOut]
    awards: list[GrantOut]
    initiatives: list[InitiativeOut]
    discipline: list[DisciplineOut]


class CollectiveSummaryOut(Schema):
    id: str = Field(description="Mã tập thể.")
    name: str
    unit: UnitRef
    part_of: str = Field(description="Bộ phận; rỗng khi tập thể là cả đơn vị.")


class CollectivePage(Page):
    items: list[CollectiveSummaryOut]


class CollectiveOut(CollectiveSummaryOut):
    ratings: list[RatingOut]
    titles: list[GrantOut]
    awards: list[GrantOut]
    discipline: list[DisciplineOut]
    leading_unit_years: list[int] = Field(description="Các năm được suy tôn dẫn đầu cụm, khối.")


class CheckOut(Schema):
    key: str
    met: bool
    text: str
    years: list[int]
    article: str
    route: str
    prerequisite: bool = Field(description="Hình thức mức thấp hơn (Nghị định 152/2025 Điều 4: không bắt buộc).")


class EligibilityOut(Schema):
    code: str
    name: str
    eligible: bool = Field(description="Đạt theo tiêu chuẩn thông thường.")
    override_possible: bool = Field(description="Chỉ thiếu hình thức mức thấp hơn và quy định cho phép.")
    reasons: list[str] = Field(description="Không đạt: mọi điều kiện còn thiếu; đạt: các điều kiện đã đạt; kèm lưu ý.")
    checks: list[CheckOut]


class AssessmentOut(Schema):
    id: str
    subject: str = Field(description="person hoặc collective.")
    name: str
    year: int
    rule_set: str
    basis: str = Field(description="Căn cứ pháp lý áp dụng cho năm xét.")
    results: list[EligibilityOut]
    warnings: list[str] = Field(description="Cảnh báo về tỷ lệ của đơn vị hoặc của năm.")


class DossierQuery(Schema):
    year: int | None = Field(None, ge=MIN_YEAR, le=MAX_YEAR, description="Năm thành tích.")
    status: str | None = Field(None, max_length=20, pattern=r"^[a-z_]*$",
                               description="draft, in_progress, returned, decided, rejected hoặc withdrawn.")


class DossierSummaryOut(Schema):
    id: int
    code: str
    name: str = Field(description="Tên danh hiệu, hình thức đề nghị.")
    year: int
    subject: str = Field(description="person hoặc collective.")
    subject_id: str
    subject_name: str
    unit: UnitRef
    group: str | None
    group_year: int | None
    procedure: str
    procedure_label: str
    step: str
    step_name: str
    status: str
    status_label: str
    step_since: dt.date
    due_on: dt.date | None
    flagged: bool


class DossierPage(Page):
    items: list[DossierSummaryOut]


class DossierHistoryOut(Schema):
    action: str
    action_label: str
    from_step: str
    to_step: str
    at: dt.datetime
    actor: str | None
    reason: str


class DossierDocumentOut(Schema):
    kind: str
    step: str
    name: str
    content_type: str
    size: int
    uploaded_at: dt.datetime


class DecisionOut(Schema):
    number: str
    date: dt.date
    authority: str


class DossierOut(DossierSummaryOut):
    source: str
    workflow: str
    summary: str
    override_reason: str
    flag_reason: str
    consultation_from: dt.date | None
    consultation_to: dt.date | None
    created_at: dt.datetime
    history: list[DossierHistoryOut]
    documents: list[DossierDocumentOut]
    decision: DecisionOut | None


class DossierStatusOut(Schema):
    id: int
    status: str
    status_label: str
    step: str
    step_name: str
    step_since: dt.date
    due_on: dt.date | None
    pending: bool
