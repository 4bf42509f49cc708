"""Log in and the profile (the home page is the portal's, see `portal.views`)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from accounts.middleware import client_address
from accounts.models import Delegation, RoleCode
from accounts.services import login_failure_record, login_failures_clear, login_wait

# Django's own messages whose Thai translation in Django's catalogue is missing or poor: our
# catalogue (LOCALE_PATHS, searched first) carries better ones. Listed so makemessages keeps them.
DJANGO_MESSAGE_OVERRIDES = (
    gettext_noop(
        "Please enter a correct %(username)s and password. Note that both fields may be "
        "case-sensitive."
    ),
    gettext_noop("This account is inactive."),
)


class PortalAuthenticationForm(AuthenticationForm):
    """Django's login form with Thai-friendly field attributes."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(
            {"autocapitalize": "none", "autocomplete": "username", "spellcheck": "false"}
        )
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})

    def clean(self) -> dict:
        """Refuse early while the name or the address is locked out; count each failure."""
        username = self.cleaned_data.get("username") or ""
        address = client_address(self.request) if self.request else None
        wait = login_wait(username=username, ip_address=address)
        if wait:
            raise ValidationError(
                _("Too many failed sign-ins. Please wait %(minutes)s minutes and try again.")
                % {"minutes": wait},
                code="throttled",
            )
        try:
            cleaned = super().clean()
        except ValidationError as error:
            if error.code == "invalid_login":
                login_failure_record(username=username, ip_address=address)
            raise
        login_failures_clear(username=username)
        return cleaned


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
# Profile
# --------------------------------------------------------------------------------------------


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
