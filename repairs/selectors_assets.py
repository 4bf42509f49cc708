"""Reads for the asset register: who sees which assets, who manages them, the list's filters."""

from __future__ import annotations

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.utils.functional import Promise

from accounts.models import RoleCode, User
from accounts.selectors import filter_by_school
from repairs.models import Asset, Category

# Roles that keep the register (import, export for the office); everyone else only reads.
ASSET_MANAGER_ROLES = (RoleCode.STAFF, RoleCode.GROUP_HEAD, RoleCode.ADMIN)
# The school filter's old value for the office's own equipment (assets without a school),
# before the filter became a box with suggestions: links and bookmarks still carry it.
OFFICE_OWN = "office"


def assets_visible_to(user: User) -> QuerySet[Asset]:
    """School-side users see their school's assets; office people all of their office's
    (every school's and the office's own); a superuser everything. Every asset list uses it."""
    assets = Asset.objects.select_related("school", "office")
    if user.is_superuser:
        return assets
    if user.is_school_side:
        return assets.filter(school_id=user.school_id) if user.school_id else assets.none()
    if user.office_id:
        return assets.filter(office_id=user.office_id)
    return assets.none()


def can_manage_assets(user: User) -> bool:
    """Office staff, group heads and admins keep the register; school-side users never do."""
    return user.is_authenticated and not user.is_school_side and user.has_role(*ASSET_MANAGER_ROLES)


def filter_assets(assets: QuerySet[Asset], params) -> QuerySet[Asset]:
    """The list's filters from GET parameters; unknown values are ignored, never an error.

    The school is picked or typed in the lists' shared box (accounts.selectors.filter_by_school);
    `own=1` (or the old `school=office`) keeps the office's own equipment, which has no school.
    Both narrow an already visible queryset, so a school the user may not see gives an empty
    list, not a leak.
    """
    if params.get("own") == "1" or params.get("school") == OFFICE_OWN:
        assets = assets.filter(school__isnull=True)
    assets = filter_by_school(assets, params)
    if params.get("category") in Category.values:
        assets = assets.filter(category=params["category"])
    if params.get("status") in Asset.Status.values:
        assets = assets.filter(status=params["status"])
    query = str(params.get("q", "")).strip()
    if query:
        assets = assets.filter(
            Q(asset_number__icontains=query)
            | Q(serial_number__icontains=query)
            | Q(brand__icontains=query)
            | Q(model_name__icontains=query)
        )
    return assets


def status_counts(assets: QuerySet[Asset]) -> list[tuple[str, str | Promise, int]]:
    """(code, label, count) per status of `assets`, in the choices' order, zeros left out."""
    counts = dict(
        assets.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return [(code, label, counts[code]) for code, label in Asset.Status.choices if counts.get(code)]


def loanable_assets_without_item(*, office) -> QuerySet[Asset]:
    """The office's own assets marked "can be lent" that the loans register has no item for yet,
    each with `in_repair` (whether the register has it at the repairer)."""
    return (
        Asset.objects.filter(
            office=office, school__isnull=True, is_loanable=True, loan_item__isnull=True
        )
        .exclude(status__in=[Asset.Status.RETIRED, Asset.Status.LOST])
        .annotate(
            in_repair=ExpressionWrapper(
                Q(status=Asset.Status.IN_REPAIR), output_field=BooleanField()
            )
        )
    )
