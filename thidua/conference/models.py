"""The year-end conference (DOMAIN.md, cycle step 5): secret ballots, award proposals within
quotas, the rotation of leader, deputies and flag, and the signing of next year's covenant.

Secrecy by construction: who took part (BallotParticipation) and what was chosen (BallotTally
counts) live in separate tables with nothing that links them — no foreign key, no timestamp on
the counts, and participations and receipt codes stored under random primary keys (on SQLite also
their physical order), so neither a key nor an order can pair a voter with a choice. Ballot tables are never registered with any history tool.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thidua.covenants.models import Covenant
from thidua.org.models import GroupYear, Unit


def random_key() -> int:
    """A random 62-bit primary key: rows carry no insertion order."""
    return secrets.randbits(62)


class RandomKeyField(models.BigIntegerField):
    """A random primary key that is also the row's physical position on SQLite: a column declared
    exactly `integer PRIMARY KEY` is SQLite's rowid, so no hidden sequential rowid remains to replay
    the order of inserts. (PostgreSQL stores rows in insertion order whatever the key; the ballot
    service rewrites the counts in random order when a ballot closes.)"""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("primary_key", True)
        kwargs.setdefault("default", random_key)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def db_type(self, connection):
        return "integer" if connection.vendor == "sqlite" else super().db_type(connection)


class BallotKind(models.TextChoices):
    ACCLAIM = "acclaim", _("Suy tôn đơn vị dẫn đầu")
    LEADER = "leader", _("Bầu cụm trưởng, khối trưởng năm sau")
    DEPUTIES = "deputies", _("Bầu cụm phó, khối phó năm sau")
    PROPOSALS = "proposals", _("Thông qua danh sách đề nghị khen thưởng")


class Electorate(models.TextChoices):
    MEMBERS = "members", _("Các đơn vị thành viên (mỗi đơn vị một phiếu)")
    COUNCIL = "council", _("Thành viên Hội đồng Thi đua – Khen thưởng")


class BallotMode(models.TextChoices):
    ELECTRONIC = "electronic", _("Bỏ phiếu trên hệ thống")
    PAPER = "paper", _("Phiếu giấy, hai người kiểm phiếu nhập kết quả")


class BallotStatus(models.TextChoices):
    DRAFT = "draft", _("Chuẩn bị")
    OPEN = "open", _("Đang bỏ phiếu")
    CLOSED = "closed", _("Đã kết thúc")


class Base(models.TextChoices):
    ALL = "all", _("tổng số thành viên")
    PRESENT = "present", _("số thành viên tham gia bỏ phiếu")


class Comparison(models.TextChoices):
    MORE_THAN = "more_than", _("quá")
    AT_LEAST = "at_least", _("từ")


class Ballot(models.Model):
    """One secret ballot of a group-year's conference, with the group regulation's rules."""

    group_year = models.ForeignKey(GroupYear, on_delete=models.CASCADE, related_name="ballots")
    kind = models.CharField(_("Nội dung bỏ phiếu"), max_length=12, choices=BallotKind.choices)
    title = models.CharField(_("Tiêu đề"), max_length=300)
    electorate = models.CharField(_("Người bỏ phiếu"), max_length=10, choices=Electorate.choices, default=Electorate.MEMBERS)
    mode = models.CharField(_("Hình thức"), max_length=12, choices=BallotMode.choices, default=BallotMode.ELECTRONIC)
    status = models.CharField(_("Trạng thái"), max_length=8, choices=BallotStatus.choices, default=BallotStatus.DRAFT)
    max_choices = models.PositiveSmallIntegerField(_("Số lựa chọn tối đa mỗi phiếu"), default=1)
    # Quorum: at least quorum_num/quorum_den of all voters cast a ballot (default 2/3).
    quorum_num = models.PositiveSmallIntegerField(default=2)
    quorum_den = models.PositiveSmallIntegerField(default=3)
    # Pass: an option's votes compared with pass_num/pass_den of the base (default: more than 1/2 of all).
    pass_num = models.PositiveSmallIntegerField(default=1)
    pass_den = models.PositiveSmallIntegerField(default=2)
    pass_base = models.CharField(max_length=8, choices=Base.choices, default=Base.ALL)
    pass_comparison = models.CharField(max_length=10, choices=Comparison.choices, default=Comparison.MORE_THAN)
    electorate_size = models.PositiveIntegerField(default=0)  # fixed when the ballot opens
    cast_count = models.PositiveIntegerField(default=0)  # ballots received (valid + blank + invalid)
    blank_count = models.PositiveIntegerField(default=0)
    invalid_count = models.PositiveIntegerField(default=0)  # paper only: a ballot that cannot be read
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Phiếu bầu")
        verbose_name_plural = _("Phiếu bầu")
        constraints = [
            models.CheckConstraint(condition=Q(quorum_den__gt=0) & Q(pass_den__gt=0), name="ballot_fractions"),
            models.CheckConstraint(condition=Q(max_choices__gte=1), name="ballot_max_choices"),
        ]

    def __str__(self) -> str:
        return self.title


class BallotOption(models.Model):
    """A choice on the ballot: a unit (acclaim, elections) or a label (Đồng ý / Không đồng ý)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="options")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    label = models.CharField(max_length=300)
    order = models.PositiveSmallIntegerField(default=0)
    votes = models.PositiveIntegerField(default=0)  # the tally: a count, never a ballot

    class Meta:
        ordering = ["order", "id"]


class BallotParticipation(models.Model):
    """That a voter took part (never what they chose): one per unit, or per council member."""

    id = RandomKeyField()
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="participations")
    voter_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    voter_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    cast_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "voter_unit"], name="one_vote_per_unit"),
            models.UniqueConstraint(fields=["ballot", "voter_user"], name="one_vote_per_member"),
        ]


class BallotReceipt(models.Model):
    """A receipt code's hash: the voter can check their ballot was counted; nothing else is here."""

    id = RandomKeyField()
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="receipts")
    code_hash = models.CharField(max_length=64, unique=True)


class BallotDelegate(models.Model):
    """A named delegate who casts a member unit's vote instead of its head."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="delegates")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "unit"], name="one_delegate_per_unit")]


class PaperCount(models.Model):
    """One counter's tally of the paper ballots; two counters must agree before it counts."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="paper_counts")
    counter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    tallies = models.JSONField()  # {"options": {option_id: votes}, "cast": n, "blank": n, "invalid": n}
    at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "counter"], name="one_count_per_counter")]


class AwardForm(models.TextChoices):
    FLAG_GOVERNMENT = "co_cp", _("Cờ thi đua của Chính phủ")
    FLAG_PROVINCE = "co_tinh", _("Cờ thi đua của Ủy ban nhân dân tỉnh")
    MERIT_PM = "bk_ttg", _("Bằng khen của Thủ tướng Chính phủ")
    MERIT_PROVINCE = "bk_tinh", _("Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh")


class ConferenceRules(models.Model):
    """The group regulation's quotas for award proposals (LEGAL.md §3.4: [U], so settings)."""

    group_year = models.OneToOneField(GroupYear, on_delete=models.CASCADE, related_name="conference_rules")
    flags = models.PositiveSmallIntegerField(_("Số Cờ thi đua được đề nghị"), default=1)
    merit_share_pct = models.PositiveSmallIntegerField(_("Tỷ lệ tối đa đề nghị Bằng khen (% số thành viên)"), default=30)
    party_rating_required = models.CharField(_("Xếp loại tổ chức đảng tối thiểu"), max_length=100,
                                             default="Hoàn thành tốt nhiệm vụ")


class VetoKind(models.TextChoices):
    DISCIPLINE = "discipline", _("Đơn vị bị kỷ luật")
    PARTY_RATING = "party_rating", _("Tổ chức đảng xếp loại dưới mức yêu cầu")
    OTHER = "other", _("Lý do khác")


class UnitVeto(models.Model):
    """A condition that bars a unit from award proposals this year, with its reason."""

    group_year = models.ForeignKey(GroupYear, on_delete=models.CASCADE, related_name="vetoes")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("Loại"), max_length=15, choices=VetoKind.choices)
    reason = models.CharField(_("Lý do"), max_length=500)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Đề nghị")
    WITHDRAWN = "withdrawn", _("Rút đề nghị")


class AwardProposal(models.Model):
    """An award the conference proposes for a unit; the list feeds the award dossiers."""

    group_year = models.ForeignKey(GroupYear, on_delete=models.CASCADE, related_name="award_proposals")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="award_proposals")
    form = models.CharField(_("Hình thức khen thưởng"), max_length=10, choices=AwardForm.choices)
    rank = models.PositiveSmallIntegerField(_("Hạng"), null=True, blank=True)
    total = models.DecimalField(_("Tổng điểm"), max_digits=10, decimal_places=2, null=True, blank=True)
    basis = models.CharField(_("Căn cứ"), max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED)

    class Meta:
        ordering = ["rank", "id"]
        constraints = [models.UniqueConstraint(fields=["group_year", "unit", "form"], name="proposal_unique")]


class CovenantSignature(models.Model):
    """A member's signature of the covenant on screen (signer, position, date)."""

    covenant = models.ForeignKey(Covenant, on_delete=models.CASCADE, related_name="signatures")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField(_("Người ký"), max_length=200)
    position = models.CharField(_("Chức vụ"), max_length=200)
    signed_on = models.DateField(_("Ngày ký"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["signed_on", "id"]
        constraints = [models.UniqueConstraint(fields=["covenant", "unit"], name="one_signature_per_unit")]
