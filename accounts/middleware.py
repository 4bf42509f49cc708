from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth import middleware as auth_middleware
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode

from accounts.backends import DJANGO_BACKEND, PORTAL_BACKEND
from accounts.selectors import remember_authorities


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, but the user it loads for the request keeps its roles and acting orders for
    the rest of the request (accounts.selectors.remember_authorities): the menu, the page and
    its access checks then read them from the database once, not once each."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _request_user(request))  # type: ignore[assignment]


def _request_user(request: HttpRequest):
    if request.session.get(BACKEND_SESSION_KEY) == DJANGO_BACKEND:
        # Signed in before accounts.backends.PortalBackend: read the same way, by the new one.
        request.session[BACKEND_SESSION_KEY] = PORTAL_BACKEND
    return remember_authorities(auth_middleware.get_user(request))


class ThaiFirstMiddleware:
    """Serve Thai unless the person chose English with the language switch.

    Many office and school computers run an English browser; the browser's Accept-Language
    must not turn the portal English behind the user's back. Placed before LocaleMiddleware,
    so only the language cookie (set by the switch) decides.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set: the content security policy and a
    policy that keeps the camera, microphone and location off (nothing here uses them)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if "Cache-Control" not in response and _signed_in(request):
            # Pages and files shown to a signed-in person carry personal data: no browser or
            # proxy keeps a copy (a shared school computer, the back button after sign-out).
            patch_cache_control(response, no_store=True, private=True)
        return response


def _signed_in(request: HttpRequest) -> bool:
    """Whether the answer was made for a signed-in person. An answer made without reading the
    session is the same for everyone, so the session and the user are not read just to ask."""
    session = getattr(request, "session", None)
    if session is None or not session.accessed:
        return False
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


def client_address(request: HttpRequest) -> str | None:
    """The client's IP: the last hop the proxy added when behind one, else the socket peer."""
    if settings.USE_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR") or None


# Roles whose accounts must pass a second factor when REQUIRE_SECOND_FACTOR is on.
SECOND_FACTOR_ROLES = ("admin", "director", "group_head")
# Paths a signed-in person may reach before the second factor: its own pages, sign-out, the
# language switch and static files.
SECOND_FACTOR_OPEN_PREFIXES = ("/second-factor/", "/logout/", "/i18n/", "/static/")


def needs_second_factor(user) -> bool:
    return bool(
        user.is_authenticated and (user.is_superuser or user.has_role(*SECOND_FACTOR_ROLES))
    )


class SecondFactorMiddleware:
    """With `REQUIRE_SECOND_FACTOR`, an administrator, district director or group head who has
    signed in with a password reaches nothing (the admin included) until they enter a TOTP code
    (django-otp's `is_verified()`); without a device yet, they are sent to enrol one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            settings.REQUIRE_SECOND_FACTOR
            and user is not None
            and needs_second_factor(user)
            and not user.is_verified()
            and not request.path.startswith(SECOND_FACTOR_OPEN_PREFIXES)
        ):
            from django_otp import user_has_device

            target = "accounts:otp_verify" if user_has_device(user) else "accounts:otp_setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class RequestBodyLimitMiddleware:
    """Refuse a request whose body is larger than `MAX_REQUEST_BODY_BYTES` before anything
    reads it: nothing is written to the temporary folder, and the person gets a Thai page
    (HTTP 413) instead of a broken upload. Django's own DATA_UPLOAD_MAX_MEMORY_SIZE bounds the
    form fields; this bounds the files too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.MAX_REQUEST_BODY_BYTES
        if length > limit:
            from django.shortcuts import render

            return render(
                request,
                "413.html",
                {"limit_mb": limit // (1024 * 1024)},
                status=413,
            )
        return self.get_response(request)


class NulCharacterMiddleware:
    """A NUL character in the address, the query string or a submitted field is never data:
    PostgreSQL refuses it in any text, so it would end in a server error deep in a view.
    Such a request gets the Thai "could not be read" page (HTTP 400) at once."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._has_nul(request):
            from django.shortcuts import render

            return render(request, "400.html", status=400)
        return self.get_response(request)

    @staticmethod
    def _has_nul(request: HttpRequest) -> bool:
        if "\x00" in request.path or _has_nul(request.GET):
            return True
        return (
            request.method == "POST"
            and request.content_type
            in (
                "application/x-www-form-urlencoded",
                "multipart/form-data",
            )
            and _has_nul(request.POST)
        )


def _has_nul(data) -> bool:
    return any(
        "\x00" in key or any("\x00" in str(value) for value in values)
        for key, values in data.lists()
    )
