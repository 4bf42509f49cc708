"""The person's LINE settings (link, choose, unlink), the Thai set-up guide and the webhook."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from linebot.v3 import SignatureValidator
from linebot.v3.webhooks import (
    Event,
    MessageEvent,
    TextMessageContent,
    UnfollowEvent,
    UserSource,
)

from accounts.http import AuthenticatedHttpRequest
from line_messaging import services
from line_messaging.channel import is_configured, reply_text
from line_messaging.models import LineLink, LinkCode

logger = logging.getLogger(__name__)

GUIDE = Path(settings.BASE_DIR) / "docs" / "line-official-account.md"


class DeliveryForm(forms.Form):
    delivery = forms.ChoiceField(
        label=gettext_lazy("Send my notifications by"),
        choices=LineLink.Delivery.choices,
        widget=forms.RadioSelect,
    )


@login_required
def line_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    link = LineLink.objects.filter(user=request.user).first()
    code = (
        LinkCode.objects.filter(
            user=request.user, used_at__isnull=True, expires_at__gte=timezone.now()
        )
        .order_by("-created_at")
        .first()
    )
    form = DeliveryForm(initial={"delivery": link.delivery if link else LineLink.Delivery.BOTH})
    if request.method == "POST" and link is not None:
        form = DeliveryForm(request.POST)
        if form.is_valid():
            services.delivery_set(user=request.user, delivery=form.cleaned_data["delivery"])
            messages.success(request, _("Your choice is saved."))
            return redirect("line_messaging:settings")
    basic_id = settings.LINE_BASIC_ID
    return render(
        request,
        "line_messaging/settings.html",
        {
            "link": link,
            "code": code,
            "form": form,
            "configured": is_configured(),
            "basic_id": basic_id,
            "add_friend_url": f"https://line.me/R/ti/p/{basic_id}" if basic_id else "",
        },
    )


@login_required
@require_POST
def code_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if is_configured():
        services.link_code_issue(user=request.user)
    return redirect("line_messaging:settings")


@login_required
@require_POST
def unlink(request: AuthenticatedHttpRequest) -> HttpResponse:
    if services.unlink(user=request.user):
        messages.success(request, _("LINE is unlinked. Notifications go to your e-mail again."))
    return redirect("line_messaging:settings")


@login_required
def guide(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "line_messaging/guide.html", {"guide": GUIDE.read_text("utf-8")})


@csrf_exempt
@require_POST
def webhook(request: HttpRequest) -> HttpResponse:
    """LINE's calls: anything without a valid X-Line-Signature is refused and nothing is read.

    A text that is an open link code links the sender; leaving (blocking) the Official Account
    unlinks them; every other event is acknowledged and ignored.
    """
    if not is_configured():
        return HttpResponse(status=404)
    signature = request.headers.get("X-Line-Signature", "")
    body = request.body.decode("utf-8", "replace")
    if not signature or not SignatureValidator(settings.LINE_CHANNEL_SECRET).validate(
        body, signature
    ):
        return HttpResponseBadRequest("bad signature")
    try:
        raw_events = json.loads(body).get("events") or []
    except (ValueError, AttributeError):
        return HttpResponse("OK")  # signed but unreadable: acknowledged, ignored
    events = []
    for raw in raw_events:
        try:
            events.append(Event.from_dict(raw))
        except Exception:  # an event kind this SDK does not know, or a malformed one
            continue
    for event in events:
        source = getattr(event, "source", None)
        if not isinstance(source, UserSource):
            continue  # groups and rooms: not a person's link
        if isinstance(event, UnfollowEvent):
            services.unlink_line_account(line_user_id=source.user_id)
        elif isinstance(event, MessageEvent) and isinstance(event.message, TextMessageContent):
            link = services.link_by_code(line_user_id=source.user_id, text=event.message.text)
            if link is not None:
                _answer(
                    event.reply_token,
                    _("Linked to %(name)s in the ICT Office Portal.")
                    % {"name": link.user.display_name},
                )
    return HttpResponse("OK")


def _answer(reply_token: str | None, text: str) -> None:
    if not reply_token:
        return
    try:
        reply_text(reply_token, text)
    except Exception:  # the link is made; a lost confirmation only costs a message
        logger.warning("LINE reply failed", exc_info=True)
