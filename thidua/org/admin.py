"""Django admin for the Board: the organisation's reference data."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from thidua.org import models


class RoleInline(admin.TabularInline):
    model = models.RoleAssignment
    extra = 1
    autocomplete_fields = ("unit", "group")


@admin.register(models.User)
class ThiduaUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Thi đua – Khen thưởng", {"fields": ("full_name", "position")}))
    list_display = ("username", "full_name", "position", "is_staff", "is_active")
    search_fields = ("username", "full_name")
    inlines = (RoleInline,)


@admin.register(models.Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent", "valid_from", "valid_to")
    list_filter = ("kind",)
    search_fields = ("code", "name", "short_name")
    autocomplete_fields = ("parent",)


@admin.register(models.UnitLineage)
class UnitLineageAdmin(admin.ModelAdmin):
    list_display = ("predecessor", "event", "successor", "effective_on")
    autocomplete_fields = ("predecessor", "successor")


class MembershipInline(admin.TabularInline):
    model = models.Membership
    extra = 0
    autocomplete_fields = ("unit",)


@admin.register(models.Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "level", "organiser")
    list_filter = ("kind", "level")
    search_fields = ("code", "name")


@admin.register(models.GroupYear)
class GroupYearAdmin(admin.ModelAdmin):
    list_display = ("group", "year", "conference_date")
    list_filter = ("year",)
    search_fields = ("group__code", "group__name")
    inlines = (MembershipInline,)


@admin.register(models.Movement)
class MovementAdmin(admin.ModelAdmin):
    list_display = ("name", "level", "launched_by", "starts_on", "ends_on")
    search_fields = ("name",)
    filter_horizontal = ("group_years",)


admin.site.register(models.FlagHandover)
