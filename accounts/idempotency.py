"""Nothing happens twice: a one-time token in every form, checked before the view runs.

Every page's POST forms carry Django's CSRF field; `OneTimeFormTokenMiddleware` adds next to
each one a hidden `form_token` (a fresh random value per form per page), so no template has
to remember it. When a signed-in person posts a form with a token:

- the first request claims the token (a unique row, `FormSubmission`) and runs the view; if
  the view answers with a redirect (the usual "done, go and see it"), its address is kept;
- a repeat with the same token (a double click, a browser resending) runs nothing: it is sent
  to the first result's address, with a note that it was already saved. If the first request
  is still running, the repeat waits for it a few seconds;
- a view that answers with the form again (errors to fix) frees the token, so the corrected
  form can be sent.

Forms sent by htmx (`hx-post`, a comment box or a small create form loaded into a page) carry
the same token, since they sit beside the CSRF field too. Their success is a 2xx partial rather
than a redirect, which the middleware cannot tell from a preview (the process designer posts
its form on every change to redraw the picture): a view that saved something answers with
`saved(response)`. Then the page the form was sent from (htmx's `HX-Current-URL`) is kept as
the first result, and a repeat answers with `HX-Redirect` to it, so the page reloads and shows
what the first one saved instead of saving it again.
"""

from __future__ import annotations

import datetime
import re
import secrets
import time
from collections.abc import Callable

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from accounts.models import FormSubmission, User

FIELD = "form_token"
_TOKEN = re.compile(r"^[0-9a-f]{32}$")
_CSRF_INPUT = re.compile(rb'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]*">')
KEEP = datetime.timedelta(days=1)
SAVED = "form_token_saved"
WAIT_SECONDS = 5.0


def _with_tokens(content: bytes) -> bytes:
    def add(match: re.Match) -> bytes:
        token = secrets.token_hex(16).encode()
        return (
            match.group(0)
            + b'<input type="hidden" name="'
            + FIELD.encode()
            + (b'" value="' + token + b'">')
        )

    return _CSRF_INPUT.sub(add, content)


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _first_result(request: HttpRequest, response: HttpResponse) -> str:
    """Where a repeat of this submission is sent: the redirect's target, or for a form sent by
    htmx and answered with a partial, the page it was sent from. Empty: nothing was saved."""
    if response.status_code in (301, 302, 303) and response.get("Location"):
        return str(response["Location"])
    if _is_htmx(request) and 200 <= response.status_code < 300:
        if response.get("HX-Redirect"):
            return str(response["HX-Redirect"])
        if getattr(response, SAVED, False):
            page = request.headers.get("HX-Current-URL", "")
            if url_has_allowed_host_and_scheme(
                page, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                return page
            return "/"
    return ""


def saved(response: HttpResponse) -> HttpResponse:
    """Mark the partial an htmx form's view answers with after it saved something: a repeat of
    the same submission is then not run again (see the module's notes)."""
    setattr(response, SAVED, True)
    return response


class OneTimeFormTokenMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        claimed = None
        if request.method == "POST" and request.user.is_authenticated:
            token = request.POST.get(FIELD, "")
            if _TOKEN.match(token):
                claimed, repeat = self._claim(token, request)
                if repeat is not None:
                    return repeat
        response = self.get_response(request)
        if claimed is not None:
            location = _first_result(request, response)
            if location:
                FormSubmission.objects.filter(pk=claimed.pk).update(location=location[:2000])
            else:
                FormSubmission.objects.filter(pk=claimed.pk).delete()
        content_type = response.get("Content-Type", "")
        if (
            content_type.startswith("text/html")
            and not response.streaming
            and b"csrfmiddlewaretoken" in response.content
        ):
            response.content = _with_tokens(response.content)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response

    def _claim(self, token: str, request: HttpRequest):
        """(the claimed row, None) for a first submission, else (None, the answer)."""
        assert isinstance(request.user, User)  # __call__ claims only for signed-in users
        FormSubmission.objects.filter(created_at__lt=timezone.now() - KEEP).delete()
        try:
            with transaction.atomic():
                return FormSubmission.objects.create(token=token, user=request.user), None
        except IntegrityError:
            pass
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            first = FormSubmission.objects.filter(token=token, user=request.user).first()
            if first is None:  # the first one failed validation and freed the token: try again
                try:
                    with transaction.atomic():
                        return FormSubmission.objects.create(token=token, user=request.user), None
                except IntegrityError:
                    first = FormSubmission.objects.filter(token=token).first()
            if first is not None and first.user_id != request.user.pk:
                return None, render(request, "400.html", status=400)
            if first is not None and first.location:
                messages.info(request, _("This form was already sent; here is what it saved."))
                if _is_htmx(request):
                    return None, HttpResponse(status=204, headers={"HX-Redirect": first.location})
                return None, redirect(first.location)
            if time.monotonic() > deadline:
                return None, render(request, "409.html", status=409)
            time.sleep(0.2)
