"""Award history: people and collectives, their yearly ratings, titles and awards, initiatives,
discipline, and the years a collective was acclaimed leading unit of its cluster or block.

A person or collective keeps the unit it was recorded with, even a unit abolished since (a district
before 01/07/2025): the unit row survives with its `valid_to` and `UnitLineage` says what it became
(thidua.org.models), so history is never rewritten onto a successor. The codes, ratings, scopes and
levels are those of thidua.awards.codes, the same the history file and the eligibility engine use.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thidua.awards import codes
from thidua.org.models import GroupYear, Unit


class Rating(models.TextChoices):
    HTXS = codes.HTXS, _("Hoàn thành xuất sắc nhiệm vụ")
    HTT = codes.HTT, _("Hoàn thành tốt nhiệm vụ")
    HT = codes.HT, _("Hoàn thành nhiệm vụ")
    KHT = codes.KHT, _("Không hoàn thành nhiệm vụ")


class Scope(models.TextChoices):
    CO_SO = codes.CO_SO, _("Cấp cơ sở")
    TINH = codes.TINH, _("Cấp bộ, ban, ngành, tỉnh")
    TOAN_QUOC = codes.TOAN_QUOC, _("Toàn quốc")


DISCIPLINE_CHOICES = [(level, codes.DISCIPLINE_NAMES[level].capitalize()) for level in codes.DISCIPLINE_LEVELS]
CODE_CHOICES = [(entry.code, entry.name) for entry in codes.CODES.values()]


class Person(models.Model):
    external_id = models.CharField(_("Mã cá nhân"), max_length=60, unique=True)
    name = models.CharField(_("Họ và tên"), max_length=200)
    birth_year = models.PositiveSmallIntegerField(_("Năm sinh"), null=True, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("Đơn vị"), on_delete=models.PROTECT, related_name="award_people",
        help_text=_("Đơn vị công tác như đã ghi nhận; có thể là đơn vị đã kết thúc hoạt động."),
    )  # fmt: skip
    collective = models.ForeignKey(
        "Collective", verbose_name=_("Tập thể"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="members",
    )  # fmt: skip
    position = models.CharField(_("Chức vụ"), max_length=200, blank=True)
    direct_worker = models.BooleanField(_("Người lao động trực tiếp"), default=False)
    hired_on = models.DateField(_("Ngày tuyển dụng"), null=True, blank=True)

    class Meta:
        verbose_name = _("Cá nhân")
        verbose_name_plural = _("Cá nhân")

    def __str__(self) -> str:
        return self.name


class Collective(models.Model):
    external_id = models.CharField(_("Mã tập thể"), max_length=60, unique=True)
    name = models.CharField(_("Tên tập thể"), max_length=200)
    unit = models.ForeignKey(Unit, verbose_name=_("Đơn vị"), on_delete=models.PROTECT, related_name="award_collectives")
    part_of = models.CharField(
        _("Bộ phận"), max_length=200, blank=True, help_text=_("Để trống khi tập thể là cả đơn vị.")
    )

    class Meta:
        verbose_name = _("Tập thể")
        verbose_name_plural = _("Tập thể")

    def __str__(self) -> str:
        return self.name


def _one_subject(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=(Q(person__isnull=False) & Q(collective__isnull=True))
        | (Q(person__isnull=True) & Q(collective__isnull=False)),
        name=name,
    )


class AnnualRating(models.Model):
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="ratings")
    collective = models.ForeignKey(Collective, null=True, blank=True, on_delete=models.CASCADE, related_name="ratings")
    year = models.PositiveSmallIntegerField(_("Năm"))
    rating = models.CharField(_("Xếp loại"), max_length=4, choices=Rating.choices)

    class Meta:
        verbose_name = _("Xếp loại hằng năm")
        verbose_name_plural = _("Xếp loại hằng năm")
        constraints = [
            _one_subject("rating_one_subject"),
            models.UniqueConstraint(fields=["person", "year"], condition=Q(person__isnull=False), name="rating_person_year"),
            models.UniqueConstraint(
                fields=["collective", "year"], condition=Q(collective__isnull=False), name="rating_collective_year"
            ),
        ]


class TitleOrAward(models.Model):
    """A title (danh hiệu thi đua) or an award (hình thức khen thưởng), with its decision."""

    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="grants")
    collective = models.ForeignKey(Collective, null=True, blank=True, on_delete=models.CASCADE, related_name="grants")
    code = models.CharField(_("Danh hiệu, hình thức khen thưởng"), max_length=20, choices=CODE_CHOICES)
    year = models.PositiveSmallIntegerField(_("Năm"))
    decision_number = models.CharField(_("Số quyết định"), max_length=100, blank=True)
    decision_date = models.DateField(_("Ngày quyết định"), null=True, blank=True)
    deciding_authority = models.CharField(_("Cấp quyết định"), max_length=200, blank=True)
    legal_basis = models.CharField(_("Căn cứ pháp lý"), max_length=300, blank=True)
    # Luật Thi đua, khen thưởng 2022, Chương VII (LEGAL.md §6.5): a revoked decision stays on record.
    revoked_on = models.DateField(_("Ngày hủy bỏ"), null=True, blank=True)
    revoke_reason = models.TextField(_("Lý do hủy bỏ"), blank=True)

    class Meta:
        verbose_name = _("Danh hiệu, hình thức khen thưởng")
        verbose_name_plural = _("Danh hiệu, hình thức khen thưởng")
        constraints = [
            _one_subject("grant_one_subject"),
            # One grant in force per subject, code and year; revoked ones stay beside it on record.
            models.UniqueConstraint(
                fields=["person", "code", "year"], condition=Q(person__isnull=False, revoked_on__isnull=True),
                name="grant_person_code_year",
            ),
            models.UniqueConstraint(
                fields=["collective", "code", "year"], condition=Q(collective__isnull=False, revoked_on__isnull=True),
                name="grant_collective_code_year",
            ),
        ]  # fmt: skip

    @property
    def kind(self) -> str:
        """`title` or `award` (thidua.awards.codes)."""
        return codes.CODES[self.code].kind


class Initiative(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="initiatives")
    external_id = models.CharField(_("Mã sáng kiến"), max_length=60)
    year = models.PositiveSmallIntegerField(_("Năm công nhận"))
    scope = models.CharField(_("Phạm vi ảnh hưởng"), max_length=10, choices=Scope.choices)
    recognising_body = models.CharField(_("Cơ quan công nhận"), max_length=200, blank=True)
    used_by = models.CharField(
        _("Đã dùng cho"), max_length=20, choices=CODE_CHOICES, null=True, blank=True,
        help_text=_("Danh hiệu hoặc hình thức khen thưởng đã dùng sáng kiến này; để trống khi chưa dùng."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("Sáng kiến")
        verbose_name_plural = _("Sáng kiến")
        constraints = [models.UniqueConstraint(fields=["person", "external_id"], name="initiative_person_id")]


class Discipline(models.Model):
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="disciplines")
    collective = models.ForeignKey(
        Collective, null=True, blank=True, on_delete=models.CASCADE, related_name="disciplines"
    )
    year = models.PositiveSmallIntegerField(_("Năm"))
    level = models.CharField(_("Hình thức kỷ luật"), max_length=20, choices=DISCIPLINE_CHOICES)

    class Meta:
        verbose_name = _("Kỷ luật")
        verbose_name_plural = _("Kỷ luật")
        constraints = [
            _one_subject("discipline_one_subject"),
            models.UniqueConstraint(
                fields=["person", "year", "level"], condition=Q(person__isnull=False), name="discipline_person"
            ),
            models.UniqueConstraint(
                fields=["collective", "year", "level"], condition=Q(collective__isnull=False),
                name="discipline_collective",
            ),
        ]  # fmt: skip


class LeadingUnit(models.Model):
    """A year the cluster/block conference acclaimed the collective leading unit (suy tôn dẫn đầu):
    what Cờ thi đua cấp tỉnh and Cờ thi đua của Chính phủ start from (LEGAL.md §4.2)."""

    collective = models.ForeignKey(Collective, on_delete=models.CASCADE, related_name="leading_years")
    year = models.PositiveSmallIntegerField(_("Năm"))
    source = models.CharField(_("Nguồn"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Đơn vị dẫn đầu cụm, khối")
        verbose_name_plural = _("Đơn vị dẫn đầu cụm, khối")
        constraints = [models.UniqueConstraint(fields=["collective", "year"], name="leading_unit_year")]


# --- Award dossiers (hồ sơ đề nghị khen thưởng): thidua.awards.dossiers, thidua.awards.workflows ------


class DossierStatus(models.TextChoices):
    DRAFT = "draft", _("Đang lập")
    IN_PROGRESS = "in_progress", _("Đang xét")
    RETURNED = "returned", _("Bị trả lại")
    DECIDED = "decided", _("Đã quyết định")
    REJECTED = "rejected", _("Không khen thưởng")
    WITHDRAWN = "withdrawn", _("Đã rút")


PENDING = (DossierStatus.DRAFT, DossierStatus.IN_PROGRESS, DossierStatus.RETURNED)


class DossierSource(models.TextChoices):
    UNIT = "unit", _("Đơn vị đề nghị")
    CONFERENCE = "conference", _("Hội nghị cụm, khối")
    ADHOC = "adhoc", _("Đột xuất")


class Procedure(models.TextChoices):
    REGULAR = "regular", _("Thủ tục thông thường")
    ADHOC = "adhoc", _("Khen thưởng đột xuất")
    SIMPLIFIED = "simplified", _("Thủ tục đơn giản")
    BMVNAH = "bmvnah", _("Xét tặng danh hiệu Bà mẹ Việt Nam Anh hùng")
    RESISTANCE = "resistance", _("Khen thưởng thành tích kháng chiến")


class Dossier(models.Model):
    """A proposal for one award to one person or collective, moving through the steps of its
    procedure (thidua.awards.workflows) as the workflow set `workflow` had them."""

    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="dossiers")
    collective = models.ForeignKey(
        Collective, null=True, blank=True, on_delete=models.PROTECT, related_name="dossiers"
    )
    code = models.CharField(_("Hình thức đề nghị"), max_length=20, choices=CODE_CHOICES)
    year = models.PositiveSmallIntegerField(_("Năm thành tích"))
    unit = models.ForeignKey(Unit, verbose_name=_("Đơn vị đề nghị"), on_delete=models.PROTECT, related_name="dossiers")
    group_year = models.ForeignKey(
        GroupYear, verbose_name=_("Cụm, khối"), null=True, blank=True, on_delete=models.PROTECT, related_name="dossiers"
    )
    proposal = models.ForeignKey(
        "conference.AwardProposal", null=True, blank=True, on_delete=models.SET_NULL, related_name="dossiers"
    )
    source = models.CharField(_("Nguồn đề nghị"), max_length=12, choices=DossierSource.choices)
    workflow = models.CharField(_("Bộ quy trình"), max_length=30)
    procedure = models.CharField(_("Thủ tục"), max_length=12, choices=Procedure.choices)
    step = models.CharField(_("Bước hiện tại"), max_length=30)
    status = models.CharField(_("Trạng thái"), max_length=12, choices=DossierStatus.choices, default=DossierStatus.DRAFT)
    step_since = models.DateField(_("Nhận ở bước này từ"))
    due_on = models.DateField(_("Hạn xử lý"), null=True, blank=True)
    consultation_from = models.DateField(_("Lấy ý kiến từ"), null=True, blank=True)
    consultation_to = models.DateField(_("Lấy ý kiến đến"), null=True, blank=True)
    consultation_closed = models.BooleanField(_("Đã kết thúc lấy ý kiến"), default=False)
    summary = models.TextField(_("Tóm tắt thành tích"), blank=True)
    override_reason = models.TextField(
        _("Lý do đề nghị ngoài tiêu chuẩn thông thường"), blank=True,
        help_text=_("Nghị định 152/2025/NĐ-CP, Điều 4: hình thức mức thấp không bắt buộc."),
    )  # fmt: skip
    facts = models.JSONField(
        _("Thông tin xét tiêu chuẩn"), default=dict, blank=True,
        help_text=_("Bà mẹ Việt Nam Anh hùng: số con, con liệt sĩ, thương binh… (thidua.awards.bmvnah)."),
    )  # fmt: skip
    flagged = models.BooleanField(_("Cần xem lại"), default=False)
    flag_reason = models.TextField(_("Lý do cần xem lại"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Hồ sơ đề nghị khen thưởng")
        verbose_name_plural = _("Hồ sơ đề nghị khen thưởng")
        constraints = [
            _one_subject("dossier_one_subject"),
            models.UniqueConstraint(
                fields=["proposal"], condition=Q(proposal__isnull=False), name="dossier_one_per_proposal"
            ),
        ]

    def __str__(self) -> str:
        return f"{codes.code_name(self.code)} {self.year} – {self.subject}"

    @property
    def subject(self) -> Person | Collective:
        return self.person or self.collective

    @property
    def subject_kind(self) -> str:
        return codes.PERSON if self.person_id else codes.COLLECTIVE

    @property
    def pending(self) -> bool:
        return self.status in PENDING


def _dossier_path(instance: models.Model, filename: str) -> str:
    # A random name outside the static tree; the original name is kept in the row.
    return f"dossiers/{uuid.uuid4().hex}"


class DossierDocument(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("Loại tài liệu"), max_length=30)
    step = models.CharField(_("Nộp ở bước"), max_length=30)
    file = models.FileField(upload_to=_dossier_path, max_length=200)
    original_name = models.CharField(_("Tên tệp"), max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Tài liệu hồ sơ")
        verbose_name_plural = _("Tài liệu hồ sơ")


class StepAction(models.TextChoices):
    CREATE = "create", _("Lập hồ sơ")
    ADVANCE = "advance", _("Chuyển bước tiếp theo")
    RETURN = "return", _("Trả lại")
    CONSULTATION_START = "consult_start", _("Bắt đầu lấy ý kiến")
    CONSULTATION_END = "consult_end", _("Kết thúc lấy ý kiến")
    OVERRIDE = "override", _("Ghi nhận đề nghị ngoài tiêu chuẩn thông thường")
    DECIDE = "decide", _("Quyết định khen thưởng")
    REJECT = "reject", _("Không khen thưởng")
    WITHDRAW = "withdraw", _("Rút hồ sơ")
    FLAG = "flag", _("Đánh dấu cần xem lại")


class DossierStep(models.Model):
    """One thing that happened to a dossier: who, when, from which step to which, and why."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("Thao tác"), max_length=14, choices=StepAction.choices)
    from_step = models.CharField(max_length=30, blank=True)
    to_step = models.CharField(max_length=30, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(_("Lý do, ghi chú"), blank=True)
    due_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("Lịch sử xử lý hồ sơ")
        verbose_name_plural = _("Lịch sử xử lý hồ sơ")
        ordering = ["at", "pk"]


class Decision(models.Model):
    """The decision that ends a dossier: its number, date and authority, and the award it added."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="decision")
    number = models.CharField(_("Số quyết định"), max_length=100)
    date = models.DateField(_("Ngày quyết định"))
    authority = models.CharField(_("Cấp quyết định"), max_length=200)
    grant = models.OneToOneField(
        TitleOrAward, null=True, blank=True, on_delete=models.SET_NULL, related_name="decision_record"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("Quyết định khen thưởng")
        verbose_name_plural = _("Quyết định khen thưởng")
