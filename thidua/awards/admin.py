from django.contrib import admin

from thidua.awards import models


class RatingInline(admin.TabularInline):
    model = models.AnnualRating
    extra = 0


class GrantInline(admin.TabularInline):
    model = models.TitleOrAward
    extra = 0


@admin.register(models.Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("external_id", "name", "unit", "position", "direct_worker", "hired_on")
    search_fields = ("external_id", "name")
    list_select_related = ("unit",)
    inlines = [RatingInline, GrantInline]


@admin.register(models.Collective)
class CollectiveAdmin(admin.ModelAdmin):
    list_display = ("external_id", "name", "unit", "part_of")
    search_fields = ("external_id", "name")
    list_select_related = ("unit",)
    inlines = [RatingInline, GrantInline]


@admin.register(models.Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ("external_id", "person", "year", "scope", "used_by")
    list_filter = ("scope", "year")


admin.site.register(models.Discipline)
admin.site.register(models.LeadingUnit)
