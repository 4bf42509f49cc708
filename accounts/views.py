"""Log in, the per-role home page and the profile."""

from __future__ import annotations

from base64 import b32encode
from dataclasses import dataclass, field

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.context_processors import ROLE_ORDER, navigation_for
from accounts.home_cards import EmptyState, cards_for, context_for
from accounts.middleware import needs_second_factor
from accounts.models import Delegation, RoleCode, User
from processes.models import Case, Responsible, Task
from processes.selectors import approvals_for, open_tasks_for

# Django's own messages whose Thai translation in Django's catalogue is missing or poor: our
# catalogue (LOCALE_PATHS, searched first) carries better ones. Listed so makemessages keeps them.
DJANGO_MESSAGE_OVERRIDES = (
    gettext_noop(
        "Please enter a correct %(username)s and password. Note that both fields may be "
        "case-sensitive."
    ),
    gettext_noop("This account is inactive."),
)

HOME_LIST_LENGTH = 5


class PortalAuthenticationForm(AuthenticationForm):
    """Django's login form with Thai-friendly field attributes."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(
            {"autocapitalize": "none", "autocomplete": "username", "spellcheck": "false"}
        )
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


def _demo_logins() -> tuple[list[dict], str]:
    """The demo logins for the hint on the login page, and their shared password."""
    if not getattr(settings, "DEMO_MODE", False):
        return [], ""
    try:
        from accounts import demo
    except ImportError:
        return [], ""

    def get(login, key: str) -> str:
        value = login.get(key) if isinstance(login, dict) else getattr(login, key, "")
        return str(value or "")

    rows = []
    for login in demo.demo_logins():
        role = get(login, "role")
        role_label = RoleCode(role).label if role in RoleCode.values else role
        rows.append(
            {
                "username": get(login, "username"),
                "role_th": get(login, "role_th") or role_label,
                "role_label": role_label,
                "school": get(login, "school"),
            }
        )
    return rows, getattr(demo, "DEFAULT_PASSWORD", "")


class PortalLoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = PortalAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["demo_logins"], context["demo_password"] = _demo_logins()
        return context


# --------------------------------------------------------------------------------------------
# Home
# --------------------------------------------------------------------------------------------

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
    rows = (
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
    rows = list(rows)
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


def _admin_links(user: User) -> list[dict]:
    links = []
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
def home(request: HttpRequest) -> HttpResponse:
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
    if "tasks" in panels:
        tasks = open_tasks_for(user, on=today).order_by("due_on", "started_at", "pk")
        context["task_count"] = tasks.count()
        context["overdue_count"] = tasks.filter(due_on__lt=today, paused_at__isnull=True).count()
        context["tasks"] = list(tasks[:HOME_LIST_LENGTH])
    if "approvals" in panels:
        approvals = approvals_for(user, on=today).select_related("case__requester")
        context["approval_count"] = approvals.count()
        context["approvals"] = list(approvals[:HOME_LIST_LENGTH])
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
    return render(request, "accounts/home.html", context)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    user = request.user
    given = (
        Delegation.objects.active_on(today)
        .filter(principal=user)
        .select_related("delegate", "role")
        .order_by("ends_on", "pk")
    )
    upcoming = (
        Delegation.objects.filter(delegate=user, starts_on__gt=today, revoked_at__isnull=True)
        .select_related("principal", "role")
        .order_by("starts_on", "pk")
    )
    return render(
        request,
        "accounts/profile.html",
        {"today": today, "delegations_given": list(given), "upcoming": list(upcoming)},
    )


# --------------------------------------------------------------------------------------------
# Second factor (TOTP through django-otp)
# --------------------------------------------------------------------------------------------


class OTPCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the authenticator app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isascii() and code.isdigit()):
            raise ValidationError(_("Enter the 6 digits shown in the app."), code="format")
        return code


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("accounts:home")


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: a QR code of a new key, confirmed by its first code."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="TOTP", confirmed=False)
    form = OTPCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
            otp_login(request, device)
            messages.success(request, _("The authenticator app is set up."))
            return redirect(_safe_next(request))
        form.add_error("code", _("The code is not correct. Check the time on your phone."))
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4, title="QR")
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr_svg": mark_safe(qr_svg),
            "secret": b32encode(device.bin_key).decode(),
            "next": _safe_next(request),
            "required": settings.REQUIRE_SECOND_FACTOR and needs_second_factor(request.user),
        },
    )


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the enrolled app."""
    if not user_has_device(request.user):
        return redirect(
            f"{reverse('accounts:otp_setup')}?{urlencode({'next': _safe_next(request)})}"
        )
    form = OTPCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect(_safe_next(request))
        form.add_error("code", _("The code is not correct or has expired. Try the next one."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _safe_next(request)})
