"""The portal's own pages across the apps: the per-role home page.

The home page gathers what each role must act on (tasks, approvals, the team's workload) from the
engine, and each module's card from `core.home_cards`, so no app below has to know the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.http import AuthenticatedHttpRequest
from accounts.models import Delegation, RoleCode, User
from accounts.selectors import schools_visible_to
from core.home_cards import EmptyState, cards_for, context_for
from portal.context_processors import ROLE_ORDER, navigation_for
from processes.models import Case, Responsible, Task
from processes.selectors import approvals_for, for_list_rows, open_tasks_for

HOME_LIST_LENGTH = 5
# Suggestions a school filter shows while one types: enough to pick from, never the office.
SCHOOL_SUGGESTIONS = 20
SCHOOL_QUERY_LENGTH = 100

ROLE_HEADINGS: dict[str, Promise] = {
    RoleCode.SCHOOL_USER: _("My school"),
    RoleCode.SCHOOL_DIRECTOR: _("For the school director"),
    RoleCode.STAFF: _("My work"),
    RoleCode.GROUP_HEAD: _("Group overview"),
    RoleCode.DEPUTY_DIRECTOR: _("For the deputy director"),
    RoleCode.DIRECTOR: _("For the district director"),
    RoleCode.ADMIN: _("System administration"),
}

# The panels of each role's section, in order. A panel shown for an earlier role is not repeated.
ROLE_PANELS: dict[str, tuple[str, ...]] = {
    RoleCode.SCHOOL_USER: ("school", "tasks"),
    RoleCode.SCHOOL_DIRECTOR: ("school", "approvals", "dmc_certification"),
    RoleCode.STAFF: ("tasks",),
    RoleCode.GROUP_HEAD: ("approvals", "workload", "reports"),
    RoleCode.DEPUTY_DIRECTOR: ("approvals",),
    RoleCode.DIRECTOR: ("approvals", "reports"),
    RoleCode.ADMIN: ("admin_links", "reports"),
}


PLANS_EMPTY = EmptyState(
    _("Plans"),
    _("No plans in progress."),
    _("The group's plans and projects for the fiscal year are listed here."),
)
REPORTS_EMPTY = EmptyState(
    _("Reports"), _("No reports yet."), _("Summaries of the group's work are listed here.")
)

# Menu items whose module has no page yet show this on the home page, school side / office side.
MODULE_EMPTY_STATES: dict[str, tuple[EmptyState, EmptyState]] = {
    "dmc": (
        EmptyState(
            _("DMC/EMIS data round"),
            _("No data round is open for your school."),
            _("When the office opens a DMC/EMIS round, your school's status is shown here."),
        ),
        EmptyState(
            _("DMC/EMIS data rounds"),
            _("No data round is open."),
            _("Each open round is shown here with how many schools have submitted."),
        ),
    ),
    "plans": (PLANS_EMPTY, PLANS_EMPTY),
    "reports": (REPORTS_EMPTY, REPORTS_EMPTY),
}

# Admin pages linked from the administrator's section: (label, admin URL name, permission).
ADMIN_LINKS: tuple[tuple[Promise, str, str], ...] = (
    (_("Users"), "admin:accounts_user_changelist", "accounts.view_user"),
    (_("Schools"), "admin:accounts_school_changelist", "accounts.view_school"),
    (_("Offices"), "admin:accounts_office_changelist", "accounts.view_office"),
    (_("Roles"), "admin:accounts_role_changelist", "accounts.view_role"),
    (_("Delegations"), "admin:accounts_delegation_changelist", "accounts.view_delegation"),
    # Paused sign-ins (django-axes): deleting a row lifts that pause at once.
    (_("Paused sign-ins"), "admin:axes_accessattempt_changelist", "axes.view_accessattempt"),
    (_("Holidays"), "admin:processes_calendarday_changelist", "processes.view_calendarday"),
    (
        _("Process definitions"),
        "admin:processes_processdefinition_changelist",
        "processes.view_processdefinition",
    ),
)


@dataclass
class RoleSection:
    role: str
    heading: Promise
    principal: User | None = None
    delegation: Delegation | None = None
    panels: list[str] = field(default_factory=list)
    # Roles whose panels are all shown in this section already (e.g. an acting director's
    # approvals sit in the deputy's one inbox): named here instead of an empty section.
    also: list[dict] = field(default_factory=list)


def _role_sections(nav) -> list[RoleSection]:
    """One section per role the user holds today: own roles first, the home role leading."""
    sections: list[RoleSection] = []
    owner_of_panel: dict[str, RoleSection] = {}
    seen: set[tuple[str, int | None]] = set()
    authorities = sorted(
        nav.authorities,
        key=lambda a: (a.is_acting, a.role != nav.home_role, ROLE_ORDER.index(a.role)),
    )
    for authority in authorities:
        key = (authority.role, authority.principal.pk if authority.principal else None)
        if key in seen:
            continue
        seen.add(key)
        wanted = ROLE_PANELS[authority.role]
        panels = [p for p in wanted if p not in owner_of_panel]
        if not panels and wanted:
            owner_of_panel[wanted[0]].also.append(
                {
                    "role": authority.role,
                    "label": RoleCode(authority.role).label,
                    "principal": authority.principal,
                    "delegation": authority.delegation,
                }
            )
            continue
        section = RoleSection(
            role=authority.role,
            heading=ROLE_HEADINGS[authority.role],
            principal=authority.principal,
            delegation=authority.delegation,
            panels=panels,
        )
        for panel in panels:
            owner_of_panel[panel] = section
        sections.append(section)
    return sections


def _team_workload(user: User, today) -> list[dict]:
    """The group's open tasks (staff and group head steps) by person, or by role if untaken."""
    if not user.office_id:
        return []
    rows = list(
        Task.objects.open()
        .filter(
            case__office_id=user.office_id,
            case__state=Case.State.RUNNING,
            role__in=[Responsible.STAFF, Responsible.GROUP_HEAD],
        )
        .values("assignee", "role")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(due_on__lt=today, paused_at__isnull=True)),
        )
        .order_by("assignee", "role")
    )
    people = User.objects.in_bulk([r["assignee"] for r in rows if r["assignee"]])
    workload = []
    for row in rows:
        person = people.get(row["assignee"])
        if person is not None:
            who = person.display_name
        else:
            who = _("Not yet taken: %(role)s") % {"role": Responsible(row["role"]).label}
        workload.append({"who": who, "open": row["open"], "overdue": row["overdue"]})
    workload.sort(key=lambda r: (-r["overdue"], -r["open"], str(r["who"])))
    return workload


def _admin_links(user: User) -> list[dict[str, object]]:
    links: list[dict[str, object]] = []
    if not user.is_staff:
        return links
    for label, url_name, permission in ADMIN_LINKS:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        if user.has_perm(permission):
            links.append({"label": label, "url": url})
    return links


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    nav = navigation_for(request)
    today = timezone.localdate()
    sections = _role_sections(nav)
    panels = {panel for section in sections for panel in section.panels}
    context: dict = {
        "today": today,
        "home_role": nav.home_role,
        "sections": sections,
    }
    # The menu has read the user's roles for today already; the lists reuse them.
    authorities = nav.authorities
    if "tasks" in panels:
        tasks = open_tasks_for(user, on=today, authorities=authorities)
        counts = tasks.order_by().aggregate(
            total=Count("pk"),
            overdue=Count("pk", filter=Q(due_on__lt=today, paused_at__isnull=True)),
        )
        context["task_count"] = counts["total"]
        context["overdue_count"] = counts["overdue"]
        context["tasks"] = list(
            for_list_rows(tasks.order_by("due_on", "started_at", "pk"))[:HOME_LIST_LENGTH]
        )
    if "approvals" in panels:
        approvals = approvals_for(user, on=today, authorities=authorities).select_related(
            "case__requester"
        )
        context["approval_count"] = approvals.count()
        context["approvals"] = list(for_list_rows(approvals)[:HOME_LIST_LENGTH])
    if "workload" in panels:
        context["workload"] = _team_workload(user, today)
    if "admin_links" in panels:
        context["admin_links"] = _admin_links(user)
    context.update(context_for(user, today, panels))
    school_side = user.is_school_side
    context["module_cards"] = cards_for(
        user, today, [link.key for link in nav.items if not link.on_home]
    )
    context["module_sections"] = [
        {"key": key, "state": MODULE_EMPTY_STATES[key][0 if school_side else 1]}
        for key in nav.home_sections
        if key in MODULE_EMPTY_STATES
    ]
    context["module_sections"] += context.pop("extra_sections")
    return render(request, "portal/home.html", context)


@login_required
def school_search(request: AuthenticatedHttpRequest) -> JsonResponse:
    """Schools the user may see whose name contains, or whose code starts with, ?q=: the
    suggestions of the lists' school filters, which no longer carry every school of the
    office as an option. A school's people find only their own school; nothing to type, or
    anyone without an office, finds nothing."""
    typed = " ".join(str(request.GET.get("q", "")).split())[:SCHOOL_QUERY_LENGTH]
    if not typed:
        return JsonResponse({"results": []})
    schools = (
        schools_visible_to(request.user)
        .select_related(None)
        .filter(Q(name_th__icontains=typed) | Q(obec_code__startswith=typed))
        .order_by("name_th", "pk")
        .values("pk", "name_th", "obec_code")[:SCHOOL_SUGGESTIONS]
    )
    return JsonResponse(
        {
            "results": [
                {"id": row["pk"], "name": row["name_th"], "code": row["obec_code"]}
                for row in schools
            ]
        }
    )
