"""Admin for offices, schools (with spreadsheet import/export), roles, users and delegations."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportModelAdmin

from accounts.models import AccountEvent, Delegation, Office, Role, School, User
from accounts.resources import SchoolResource
from accounts.services import delegation_create, delegation_revoke, validate_role_scope
from core.admin_exports import SpreadsheetAdminMixin
from core.admin_imports import BackgroundImportAdminMixin

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    # The mixin below is only ever mixed into a form.
    _FormBase = forms.BaseForm
else:
    _FormBase = object


class _SchoolCount(TypedDict):
    _school_count: int


class _UserCount(TypedDict):
    _user_count: int


# OFFICES AND SCHOOLS
# ------------------------------------------------------------------------------


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ("code", "name_th", "short_name", "kind", "province", "school_count")
    list_filter = ("kind", "province")
    search_fields = ("code", "name_th", "short_name", "name_en")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_school_count=Count("schools"))

    @admin.display(description=_("schools"), ordering="_school_count")  # th: โรงเรียน
    def school_count(self, obj: WithAnnotations[Office, _SchoolCount]) -> int:
        return obj._school_count


@admin.register(School)
class SchoolAdmin(BackgroundImportAdminMixin, SpreadsheetAdminMixin, ImportExportModelAdmin):
    # Exports like the portal's (core.admin_exports): formulas stay text, typed cells. Import
    # leads to the portal's background import with its progress (core.admin_imports).
    resource_classes = [SchoolResource]
    import_page = "accounts:school_import"
    list_display = (
        "obec_code",
        "smis_code",
        "name_th",
        "district",
        "subdistrict",
        "size",
        "office",
        "is_active",
    )
    list_display_links = ("obec_code", "name_th")
    list_filter = ("office", "district", "size", "is_active")
    search_fields = ("obec_code", "smis_code", "name_th", "name_en")
    list_select_related = ("office",)
    list_per_page = 50


# ROLES
# ------------------------------------------------------------------------------


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    """Names and descriptions are editable; the code is what the program checks, so it stays."""

    list_display = ("code", "name_th", "name_en", "user_count")
    search_fields = ("code", "name_th", "name_en")
    fields = ("code", "name_th", "name_en", "description")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_user_count=Count("users"))

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj is not None else ()

    def has_delete_permission(self, request, obj=None):
        # Code refers to roles by their codes: deleting one would silently break workflows.
        return False

    @admin.display(description=_("users"), ordering="_user_count")  # th: ผู้ใช้
    def user_count(self, obj: WithAnnotations[Role, _UserCount]) -> int:
        return obj._user_count


# USERS
# ------------------------------------------------------------------------------


class RoleScopeFormMixin(_FormBase):
    """Enforce `validate_role_scope`: school roles need one school, office roles none, no mix.

    Errors land on the `roles` or `school` field instead of reaching the database.
    """

    def clean(self):
        cleaned = super().clean()
        if "roles" not in self.fields or self.has_error("roles") or self.has_error("school"):
            return cleaned
        assert cleaned is not None  # Django's forms return their cleaned_data
        roles = list(cleaned.get("roles") or [])
        school = cleaned.get("school")
        try:
            validate_role_scope(roles=roles, school=school)
        except ValidationError as error:
            for name, messages_ in error.message_dict.items():
                for message in messages_:
                    self.add_error(name if name in self.fields else None, message)
        return cleaned


class PortalUserChangeForm(RoleScopeFormMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


class PortalUserCreationForm(RoleScopeFormMixin, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = PortalUserChangeForm
    add_form = PortalUserCreationForm
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Personal info"),
            {"fields": ("title", "first_name", "last_name", "position", "email", "phone")},
        ),
        (
            _("Office, school and roles"),  # th: สำนักงาน โรงเรียน และบทบาท
            {
                "fields": ("office", "school", "roles"),
                # th: ผู้ใช้สถานศึกษาและผู้อำนวยการสถานศึกษาสังกัดโรงเรียนเดียว
                #     บทบาทของสำนักงานไม่ต้องระบุโรงเรียน
                "description": _(
                    "School users and school directors belong to exactly one school; "
                    "office roles have no school."
                ),
            },
        ),
        (
            _("Permissions"),
            {
                "fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions"),
                "classes": ("collapse",),
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "usable_password", "password1", "password2"),
            },
        ),
        (
            _("Personal info"),
            {"fields": ("title", "first_name", "last_name", "position", "email", "phone")},
        ),
        (_("Office, school and roles"), {"fields": ("office", "school", "roles")}),
    )
    filter_horizontal = ("roles", "groups", "user_permissions")
    autocomplete_fields = ("school",)
    list_display = (
        "username",
        "display_name",
        "position",
        "office",
        "school",
        "role_list",
        "is_active",
    )
    list_filter = ("roles", "office", "school", "is_active", "is_staff", "is_superuser")
    search_fields = (
        "username",
        "first_name",
        "last_name",
        "email",
        "position",
        "school__name_th",
        "school__obec_code",
    )
    list_select_related = ("office", "school")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("roles")

    @admin.display(description=_("name"), ordering="first_name")  # th: ชื่อ
    def display_name(self, obj: User) -> str:
        return obj.display_name

    @admin.display(description=_("roles"))  # th: บทบาท
    def role_list(self, obj: User) -> str:
        return ", ".join(role.name_th for role in obj.roles.all())


# DELEGATIONS
# ------------------------------------------------------------------------------


class ActiveTodayFilter(admin.SimpleListFilter):
    title = _("in force")  # th: มีผลบังคับ
    parameter_name = "in_force"

    def lookups(self, request, model_admin):
        return [
            ("today", _("In force today")),  # th: มีผลวันนี้
            ("future", _("Not yet started")),  # th: ยังไม่ถึงวันเริ่ม
            ("past", _("Ended or revoked")),  # th: สิ้นสุดหรือยกเลิกแล้ว
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "today":
            return queryset.active_on(today)
        if self.value() == "future":
            return queryset.filter(starts_on__gt=today, revoked_at__isnull=True)
        if self.value() == "past":
            return queryset.filter(ends_on__lt=today) | queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    """Acting orders; the form runs `Delegation.clean()` (dates, not to oneself, role held)."""

    list_display = (
        "principal",
        "delegate",
        "role",
        "starts_on",
        "ends_on",
        "order_number",
        "active_today",
    )
    list_filter = (ActiveTodayFilter, "role", "kind")
    search_fields = (
        "order_number",
        "principal__username",
        "principal__first_name",
        "principal__last_name",
        "delegate__username",
        "delegate__first_name",
        "delegate__last_name",
    )
    autocomplete_fields = ("principal", "delegate")
    date_hierarchy = "starts_on"
    list_select_related = ("principal", "delegate", "role")
    readonly_fields = ("revoked_at", "created_at")
    actions = ["revoke"]

    @admin.display(description=_("active today"), boolean=True)  # th: มีผลวันนี้
    def active_today(self, obj: Delegation) -> bool:
        today = timezone.localdate()
        return obj.revoked_at is None and obj.starts_on <= today <= obj.ends_on

    def save_model(self, request, obj, form, change):
        """New orders go through `delegation_create` so each is audited; the form has already
        run the same `clean()`."""
        if change:
            super().save_model(request, obj, form, change)
            return
        created = delegation_create(
            principal=obj.principal,
            delegate=obj.delegate,
            role=obj.role,
            starts_on=obj.starts_on,
            ends_on=obj.ends_on,
            order_number=obj.order_number,
            kind=obj.kind,
            note=obj.note,
            order_file=obj.order_file,
            actor=request.user,
        )
        obj.pk = created.pk

    @admin.action(description=_("Revoke the selected delegations"))  # th: ยกเลิกคำสั่งที่เลือก
    def revoke(self, request, queryset):
        count = sum(
            delegation_revoke(delegation=delegation, actor=request.user)
            for delegation in queryset.filter(revoked_at__isnull=True)
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d delegation revoked.",  # th: ยกเลิกคำสั่ง %(count)d รายการแล้ว
                "%(count)d delegations revoked.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(AccountEvent)
class AccountEventAdmin(admin.ModelAdmin):
    """The audit trail of delegations: read-only, nobody edits or deletes it here."""

    list_display = ("at", "kind", "actor", "delegation")
    list_filter = ("kind",)
    date_hierarchy = "at"
    list_select_related = ("actor", "delegation")
    readonly_fields = ("at", "kind", "actor", "delegation", "detail")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
