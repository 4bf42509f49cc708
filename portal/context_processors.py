"""What every page needs to draw its frame: the navigation for the user's roles, their office.

Navigation is data: `NAV_ITEMS` lists every menu entry with the roles that see it. A role counts
if the user holds it or acts in it under a delegation in force today. An entry whose page does
not exist yet (its URL name does not reverse) links to its section on the home page instead,
which shows the matching empty state, so no menu link is ever broken.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property, lru_cache

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import RoleCode, User
from accounts.selectors import Authority, authorities_of, home_role

SCHOOL_SIDE = frozenset({RoleCode.SCHOOL_USER, RoleCode.SCHOOL_DIRECTOR})
OFFICE_SIDE = frozenset(
    {
        RoleCode.STAFF,
        RoleCode.GROUP_HEAD,
        RoleCode.DEPUTY_DIRECTOR,
        RoleCode.DIRECTOR,
        RoleCode.ADMIN,
    }
)
ALL_ROLES = SCHOOL_SIDE | OFFICE_SIDE
# Highest first, as `accounts.selectors.home_role` ranks them.
ROLE_ORDER: list[str] = [
    RoleCode.DIRECTOR,
    RoleCode.DEPUTY_DIRECTOR,
    RoleCode.GROUP_HEAD,
    RoleCode.STAFF,
    RoleCode.ADMIN,
    RoleCode.SCHOOL_DIRECTOR,
    RoleCode.SCHOOL_USER,
]
APPROVERS = frozenset(
    {
        RoleCode.SCHOOL_DIRECTOR,
        RoleCode.GROUP_HEAD,
        RoleCode.DEPUTY_DIRECTOR,
        RoleCode.DIRECTOR,
    }
)


@dataclass(frozen=True)
class NavItem:
    key: str  # stable id, and the anchor of the item's section on the home page
    label: Promise
    url_name: str  # the item's own page once its module provides it
    roles: frozenset[str]
    staff_only: bool = False  # needs `is_staff` (Django's admin site refuses anyone else)


# Each entry lists the roles that may open its page (tests/ui/test_menus.py checks every role
# against the pages themselves, so a module a role may use is never missing from its menu). The
# one deliberate omission: the approvals inbox, which opens for everyone but can only ever hold
# something for the roles that approve.
NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("home", _("Home"), "portal:home", ALL_ROLES),
    NavItem("my_tasks", _("My tasks"), "processes:my_tasks", ALL_ROLES),
    NavItem("approvals", _("Approvals"), "processes:inbox", APPROVERS),
    NavItem("repairs", _("Repairs"), "repairs:index", ALL_ROLES),
    NavItem("loans", _("Equipment loans"), "equipment_loans:index", ALL_ROLES),
    NavItem("dmc", _("DMC/EMIS data"), "dmc_emis:index", ALL_ROLES),
    NavItem("plans", _("Plans"), "workplans:index", OFFICE_SIDE),
    NavItem("trainings", _("Trainings"), "trainings:index", ALL_ROLES),
    NavItem("log_register", _("Log register"), "log_register:index", OFFICE_SIDE),
    NavItem("minutes", _("Meeting minutes"), "minutes:index", OFFICE_SIDE),
    NavItem("school_map", _("School map"), "school_map:index", ALL_ROLES),
    NavItem("processes", _("Work processes"), "processes:catalogue", OFFICE_SIDE),
    NavItem("documents", _("Official documents"), "documents:index", OFFICE_SIDE),
    NavItem("reports", _("Reports"), "reports:index", OFFICE_SIDE),
    NavItem(
        "admin", _("Administration"), "admin:index", frozenset({RoleCode.ADMIN}), staff_only=True
    ),
)


@dataclass(frozen=True)
class NavLink:
    key: str
    label: Promise
    url: str
    active: bool
    on_home: bool  # True while the item's module has no page: the link is a home-page section


@lru_cache(maxsize=512)
def _menu_html_once(language: str, links: tuple[tuple[str, str, bool], ...]) -> str:
    # A menu's HTML depends only on its links (key, URL, active) and the language its labels
    # are read in: rendered once per process for each (a few role sets times the entry that is
    # active times two languages), not on every page.
    return _menu_html(links)


def _menu_html(links: tuple[tuple[str, str, bool], ...]) -> str:
    labels = {item.key: item.label for item in NAV_ITEMS}
    rows = [
        {"key": key, "url": url, "active": active, "label": labels[key]}
        for key, url, active in links
    ]
    return render_to_string("includes/nav_modules.html", {"links": rows})


def _reverse(url_name: str) -> str | None:
    # Every page draws the menu: its fifteen URLs are worked out once per URL configuration
    # and script prefix, not on every request.
    return _reverse_once(url_name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


@cache
def _reverse_once(url_name: str, urlconf: str | None, prefix: str) -> str | None:
    try:
        return reverse(url_name, urlconf=urlconf)
    except NoReverseMatch:
        return None


class Navigation:
    """The frame of the page for one request; everything is computed on first use only."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        user = getattr(request, "user", None)
        # The signed-in portal user; None for a visitor (Django's AnonymousUser included).
        self.user: User | None = user if isinstance(user, User) and user.is_authenticated else None

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None

    @cached_property
    def authorities(self) -> list[Authority]:
        return authorities_of(self.user) if self.user is not None else []

    @cached_property
    def role_codes(self) -> frozenset[str]:
        return frozenset(a.role for a in self.authorities)

    @cached_property
    def own_roles(self) -> list[str | Promise]:
        """Labels of the user's own roles, highest first."""
        own = sorted((a.role for a in self.authorities if not a.is_acting), key=ROLE_ORDER.index)
        return [RoleCode(code).label for code in own]

    @cached_property
    def acting(self) -> list[Authority]:
        """Roles held today under a delegation, each with its principal and its end date."""
        return [a for a in self.authorities if a.is_acting]

    @cached_property
    def home_role(self) -> str:
        return home_role(self.user) if self.user is not None else ""

    @cached_property
    def items(self) -> list[NavLink]:
        if self.user is None:
            return []
        home_url = _reverse("portal:home") or "/"
        path = self.request.path
        links = []
        for item in NAV_ITEMS:
            if self.role_codes.isdisjoint(item.roles):
                continue
            if item.staff_only and not self.user.is_staff:
                continue
            own_page = _reverse(item.url_name)
            on_home = own_page is None
            if own_page is None:
                url = f"{home_url}#{item.key}"
                active = False
            else:
                url = own_page
                active = path == home_url if url == home_url else path.startswith(url)
            links.append(NavLink(item.key, item.label, url, active, on_home))
        return links

    @cached_property
    def menu(self) -> str:
        """The module links as HTML (includes/nav_modules.html)."""
        links = tuple((link.key, link.url, link.active) for link in self.items)
        if settings.DEBUG:  # a developer editing the template sees the change at once
            return _menu_html(links)
        return _menu_html_once(get_language(), links)

    @cached_property
    def home_sections(self) -> list[str]:
        """Keys of the menu items whose page is, for now, their section on the home page."""
        return [link.key for link in self.items if link.on_home]

    @cached_property
    def today(self):
        return timezone.localdate()

    @property
    def office(self):
        return self.user.office if self.user is not None else None


def navigation_for(request: HttpRequest) -> Navigation:
    """The request's one `Navigation`, shared by the context processor and the views."""
    nav = getattr(request, "_portal_navigation", None)
    if nav is None:
        nav = Navigation(request)
        setattr(request, "_portal_navigation", nav)  # noqa: B010 (a private cache on the request)
    return nav


def navigation(request: HttpRequest) -> dict:
    return {"nav": navigation_for(request)}
