"""Award history: people and collectives, their yearly ratings, titles and awards, initiatives,
discipline, and the years a collective was acclaimed leading unit of its cluster or block.

A person or collective keeps the unit it was recorded with, even a unit abolished since (a district
before 01/07/2025): the unit row survives with its `valid_to` and `UnitLineage` says what it became
(thidua.org.models), so history is never rewritten onto a successor. The codes, ratings, scopes and
levels are those of thidua.awards.codes, the same the history file and the eligibility engine use.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thidua.awards import codes
from thidua.org.models import Unit


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

    class Meta:
        verbose_name = _("Danh hiệu, hình thức khen thưởng")
        verbose_name_plural = _("Danh hiệu, hình thức khen thưởng")
        constraints = [
            _one_subject("grant_one_subject"),
            models.UniqueConstraint(
                fields=["person", "code", "year"], condition=Q(person__isnull=False), name="grant_person_code_year"
            ),
            models.UniqueConstraint(
                fields=["collective", "code", "year"], condition=Q(collective__isnull=False),
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
