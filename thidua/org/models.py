"""Units, their lineage, emulation groups and their years, movements, users and role assignments.

A group's year (`GroupYear`) is the unit of work of the yearly cycle (DOMAIN.md): its members, its
leader and deputies, the flag it hands over, the covenant its members sign. Units outlive the 2025
reform that abolished districts and merged provinces: a unit keeps its code and history, gets a
`valid_to` date, and `UnitLineage` says what it became.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    full_name = models.CharField(_("Họ và tên"), max_length=200, blank=True)
    position = models.CharField(_("Chức vụ"), max_length=200, blank=True)

    def __str__(self) -> str:
        return self.full_name or self.username


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Tỉnh, thành phố trực thuộc Trung ương")
    DISTRICT = "district", _("Huyện, thị xã, thành phố thuộc tỉnh (đến 30/6/2025)")
    COMMUNE = "commune", _("Xã")
    WARD = "ward", _("Phường")
    SPECIAL_ZONE = "special_zone", _("Đặc khu")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    AGENCY = "agency", _("Cơ quan")
    ENTERPRISE = "enterprise", _("Doanh nghiệp")
    ORGANISATION = "organisation", _("Tổ chức")


class Unit(models.Model):
    code = models.CharField(_("Mã đơn vị"), max_length=40, unique=True)
    name = models.CharField(_("Tên đơn vị"), max_length=200)
    short_name = models.CharField(_("Tên ngắn"), max_length=100, blank=True)
    kind = models.CharField(_("Loại đơn vị"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("Đơn vị cấp trên"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    valid_from = models.DateField(_("Hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("Hiệu lực đến"), null=True, blank=True)

    class Meta:
        verbose_name = _("Đơn vị")
        verbose_name_plural = _("Đơn vị")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_range",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The short name used in tables and sentences ("Châu Thành"), else the full name."""
        return self.short_name or self.name


class LineageEvent(models.TextChoices):
    MERGE = "merge", _("Hợp nhất, sáp nhập")
    SPLIT = "split", _("Chia tách")
    RENAME = "rename", _("Đổi tên")
    ABOLISH = "abolish", _("Kết thúc hoạt động, chuyển nhiệm vụ")


class UnitLineage(models.Model):
    """One edge of a reorganisation: `predecessor` (until `effective_on`) → `successor` (from it)."""

    predecessor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="successions")
    successor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="predecessions")
    event = models.CharField(_("Hình thức"), max_length=20, choices=LineageEvent.choices)
    effective_on = models.DateField(_("Ngày hiệu lực"))
    legal_basis = models.CharField(_("Căn cứ"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Sắp xếp đơn vị")
        verbose_name_plural = _("Sắp xếp đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="lineage_unique_edge"),
            models.CheckConstraint(condition=~Q(predecessor=models.F("successor")), name="lineage_not_self"),
        ]


class GroupKind(models.TextChoices):
    CLUSTER = "cluster", _("Cụm thi đua")
    BLOCK = "block", _("Khối thi đua")


class GroupLevel(models.TextChoices):
    CENTRAL = "central", _("Trung ương")
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện (đến 30/6/2025)")
    COMMUNE = "commune", _("Cấp xã")
    AGENCY = "agency", _("Bộ, ngành, cơ quan")


class FlagKind(models.TextChoices):
    NONE = "", _("Không có cờ")
    ROTATING = "rotating", _("Cờ luân lưu")
    STANDING = "standing", _("Cờ thường trực")


class Group(models.Model):
    code = models.CharField(_("Mã cụm/khối"), max_length=40, unique=True)
    name = models.CharField(_("Tên cụm/khối"), max_length=200)
    kind = models.CharField(_("Loại"), max_length=10, choices=GroupKind.choices)
    organiser = models.CharField(_("Cơ quan tổ chức"), max_length=200, blank=True)
    organiser_unit = models.ForeignKey(
        Unit, verbose_name=_("Đơn vị tổ chức"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="organised_groups",
        help_text=_("Cán bộ Ban Thi đua – Khen thưởng của đơn vị này quản lý cụm/khối."),
    )
    level = models.CharField(_("Cấp"), max_length=10, choices=GroupLevel.choices)
    flag_kind = models.CharField(_("Cờ của cụm/khối"), max_length=10, choices=FlagKind.choices, blank=True)

    class Meta:
        verbose_name = _("Cụm, khối thi đua")
        verbose_name_plural = _("Cụm, khối thi đua")

    def __str__(self) -> str:
        return self.name


class GroupYear(models.Model):
    """A group in one year of the cycle: members, leader, deputies, flag, supervising council member."""

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="years")
    year = models.PositiveSmallIntegerField(_("Năm"))
    council_member = models.ForeignKey(
        User, verbose_name=_("Thành viên Hội đồng phụ trách"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="supervised_group_years",
    )
    council_member_name = models.CharField(_("Thành viên Hội đồng phụ trách (ghi rõ)"), max_length=300, blank=True)
    conference_date = models.DateField(_("Ngày hội nghị tổng kết"), null=True, blank=True)
    conference_place = models.CharField(_("Nơi tổ chức hội nghị"), max_length=200, blank=True)
    note = models.TextField(_("Ghi chú"), blank=True)

    class Meta:
        verbose_name = _("Cụm, khối theo năm")
        verbose_name_plural = _("Cụm, khối theo năm")
        constraints = [models.UniqueConstraint(fields=["group", "year"], name="group_year_unique")]

    def __str__(self) -> str:
        return f"{self.group.name} – {self.year}"


class Position(models.TextChoices):
    MEMBER = "member", _("Thành viên")
    LEADER = "leader", _("Cụm trưởng, khối trưởng")
    DEPUTY = "deputy", _("Cụm phó, khối phó")


class Membership(models.Model):
    group_year = models.ForeignKey(GroupYear, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships")
    position = models.CharField(_("Vị trí"), max_length=10, choices=Position.choices, default=Position.MEMBER)

    class Meta:
        verbose_name = _("Thành viên cụm/khối")
        verbose_name_plural = _("Thành viên cụm/khối")
        constraints = [
            models.UniqueConstraint(fields=["group_year", "unit"], name="membership_unique_unit"),
            models.UniqueConstraint(
                fields=["group_year"], condition=Q(position="leader"), name="membership_one_leader"
            ),
        ]


class FlagHandover(models.Model):
    """The group's flag handed to `to_unit` for `group_year` (from the previous holder, if known)."""

    group_year = models.OneToOneField(GroupYear, on_delete=models.CASCADE, related_name="flag_handover")
    from_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="flags_received")
    handed_on = models.DateField(_("Ngày bàn giao"), null=True, blank=True)

    class Meta:
        verbose_name = _("Bàn giao cờ")
        verbose_name_plural = _("Bàn giao cờ")


class Movement(models.Model):
    """An emulation movement (phong trào thi đua): launched by an authority, reviewed with results."""

    name = models.CharField(_("Tên phong trào"), max_length=300, unique=True)
    level = models.CharField(_("Cấp phát động"), max_length=10, choices=GroupLevel.choices)
    launched_by = models.CharField(_("Cơ quan, người phát động"), max_length=200, blank=True)
    starts_on = models.DateField(_("Từ ngày"), null=True, blank=True)
    ends_on = models.DateField(_("Đến ngày"), null=True, blank=True)
    group_years = models.ManyToManyField(GroupYear, blank=True, related_name="movements")

    class Meta:
        verbose_name = _("Phong trào thi đua")
        verbose_name_plural = _("Phong trào thi đua")

    def __str__(self) -> str:
        return self.name


class MovementParticipation(models.Model):
    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="participations")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="movement_participations")
    result = models.TextField(_("Kết quả sơ kết, tổng kết"), blank=True)
    commendation = models.TextField(_("Khen thưởng"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["movement", "unit"], name="participation_unique")]


class Role(models.TextChoices):
    BOARD_OFFICER = "board_officer", _("Cán bộ Ban Thi đua – Khen thưởng")
    COUNCIL_MEMBER = "council_member", _("Thành viên Hội đồng Thi đua – Khen thưởng")
    GROUP_LEADER_OFFICER = "group_leader_officer", _("Cán bộ đơn vị Cụm trưởng, Khối trưởng")
    UNIT_OFFICER = "unit_officer", _("Cán bộ đơn vị")
    UNIT_HEAD = "unit_head", _("Thủ trưởng đơn vị")
    READER = "reader", _("Người xem")


class RoleAssignment(models.Model):
    """A role for a user, bound to a unit or a group and, where it applies, a year.

    Scope (thidua.org.policy): a Board officer covers the groups organised by their unit's subtree
    (no unit: the whole installation); a council member and a group leader officer cover a group
    (in `year`, or every year); a unit officer and a unit head cover a unit and its sub-units; a
    reader covers a group, a unit, or (neither) every group.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("Vai trò"), max_length=30, choices=Role.choices)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="role_assignments")
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.CASCADE, related_name="role_assignments")
    year = models.PositiveSmallIntegerField(_("Năm"), null=True, blank=True)

    class Meta:
        verbose_name = _("Phân công vai trò")
        verbose_name_plural = _("Phân công vai trò")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=["unit_officer", "unit_head"]) | Q(unit__isnull=False),
                name="role_unit_roles_need_unit",
            ),
            models.CheckConstraint(
                condition=~Q(role__in=["council_member", "group_leader_officer"]) | Q(group__isnull=False),
                name="role_group_roles_need_group",
            ),
        ]

    def __str__(self) -> str:
        scope = self.group or self.unit or _("toàn hệ thống")
        year = f" ({self.year})" if self.year else ""
        return f"{self.get_role_display()} – {scope}{year}"
