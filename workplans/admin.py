from django.contrib import admin

from workplans.models import (
    KPI,
    Activity,
    Plan,
    Project,
    Question,
    SpecDraft,
    SpecDraftLine,
    SpecItem,
    Strategy,
    Survey,
    WorkingGroupMember,
)


class StrategyInline(admin.TabularInline):
    model = Strategy
    extra = 0


class KpiInline(admin.TabularInline):
    model = KPI
    extra = 0


class MemberInline(admin.TabularInline):
    model = WorkingGroupMember
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "fiscal_year_start", "fiscal_year_end", "status", "office"]
    list_filter = ["kind", "status", "office"]
    search_fields = ["title"]
    # State follows the plan's case: it changes through the process, not here.
    readonly_fields = [
        "status",
        "case",
        "approved_at",
        "approved_by",
        "approval_signature",
        "public_slug",
        "published_at",
    ]
    inlines = [StrategyInline, KpiInline, MemberInline]


class ActivityInline(admin.TabularInline):
    model = Activity
    extra = 0
    filter_horizontal = ["target_schools"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "plan", "owner"]
    search_fields = ["name", "plan__title"]
    inlines = [ActivityInline]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "status", "sent_at"]
    list_filter = ["status"]
    inlines = [QuestionInline]


@admin.register(SpecItem)
class SpecItemAdmin(admin.ModelAdmin):
    list_display = ["name", "item_type", "price_ceiling", "year", "is_active", "office"]
    list_filter = ["item_type", "year", "is_active"]
    search_fields = ["name", "characteristics"]


class SpecLineInline(admin.StackedInline):
    model = SpecDraftLine
    extra = 0


@admin.register(SpecDraft)
class SpecDraftAdmin(admin.ModelAdmin):
    list_display = ["title", "requested_by_unit", "fiscal_year", "status"]
    list_filter = ["status", "fiscal_year"]
    readonly_fields = ["status", "case", "approved_at", "handed_off_at"]
    inlines = [SpecLineInline]
