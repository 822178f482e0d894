"""Admin views for inspection. Coordinators work on the app's own pages, which enforce the
publishing rules; here published content is read-only too."""

from django.contrib import admin

from .models import (
    Badge,
    BadgeVersion,
    Competence,
    CompetenceArea,
    Constellation,
    Framework,
    ProficiencyLevel,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class LevelInline(ReadOnlyInline):
    model = ProficiencyLevel
    fields = ["order", "code", "name"]


class AreaInline(ReadOnlyInline):
    model = CompetenceArea
    fields = ["order", "code", "name"]


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "version", "imported_at"]
    list_filter = ["slug"]
    readonly_fields = ["imported_at", "imported_by"]
    inlines = [LevelInline, AreaInline]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Competence)
class CompetenceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "framework"]
    list_filter = ["framework"]
    search_fields = ["code", "name"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Constellation)
class ConstellationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_illustrative"]
    filter_horizontal = ["coordinators", "assessors", "moderators"]


@admin.register(Badge)
class BadgeAdmin(admin.ModelAdmin):
    list_display = ["slug", "kind", "constellation"]
    list_filter = ["kind", "constellation"]


@admin.register(BadgeVersion)
class BadgeVersionAdmin(admin.ModelAdmin):
    list_display = ["title", "badge", "version", "status", "published_at"]
    list_filter = ["status", "badge__kind"]
    search_fields = ["title", "badge__slug"]

    def has_change_permission(self, request, obj=None):
        return False
