"""Log in and the profile (the home page is the portal's, see `portal.views`)."""

from __future__ import annotations

from base64 import b32encode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.http import AuthenticatedHttpRequest
from accounts.middleware import needs_second_factor
from accounts.models import Delegation, RoleCode

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
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
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
    return reverse("portal:home")


@login_required
def otp_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
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
def otp_verify(request: AuthenticatedHttpRequest) -> HttpResponse:
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
