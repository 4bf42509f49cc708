"""The LINE delivery channel of the notification outbox, on the official line-bot-sdk (v3).

Each outbox row becomes one push message to the recipient's LINE account: a text with the link
to the case, or, for an approval waiting on the person, a message with a button that opens
the task. The push carries a retry key derived from the row, so when a retry follows a push
that LINE did accept (a timeout on our side) LINE answers 409 and nothing is sent twice.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    ButtonsTemplate,
    Configuration,
    MessagingApi,
    PushMessageRequest,
    ReplyMessageRequest,
    TemplateMessage,
    TextMessage,
    URIAction,
)

from accounts.models import User
from line_messaging.models import LineLink
from processes.channels import absolute_link
from processes.models import Notification, StepKind

REQUEST_TIMEOUT_SECONDS = 10
TEXT_LIMIT = 5000  # LINE's limit for one text message
BUTTON_TEXT_LIMIT = 160  # a buttons template without title or image
ALT_TEXT_LIMIT = 400


def is_configured() -> bool:
    return bool(settings.LINE_CHANNEL_ACCESS_TOKEN and settings.LINE_CHANNEL_SECRET)


def messaging_api(client: ApiClient) -> MessagingApi:
    return MessagingApi(client)


def api_client() -> ApiClient:
    configuration = Configuration(
        host=settings.LINE_API_HOST.rstrip("/"),
        access_token=settings.LINE_CHANNEL_ACCESS_TOKEN,
    )
    return ApiClient(configuration)


def retry_key(notification: Notification) -> str:
    return str(
        uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.PORTAL_BASE_URL}/outbox/{notification.pk}")
    )


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def message_for(notification: Notification):
    """A button that opens the task for an approval waiting on the person, else plain text."""
    link = absolute_link(notification)
    task = notification.task
    if link and task is not None and task.step.kind == StepKind.APPROVAL and task.is_open:
        link = f"{link}#task-{task.pk}"
        return TemplateMessage(
            alt_text=_shorten(notification.subject, ALT_TEXT_LIMIT),
            template=ButtonsTemplate(
                text=_shorten(notification.subject, BUTTON_TEXT_LIMIT),
                actions=[URIAction(label="เปิดเพื่อพิจารณา", uri=link)],
            ),
        )
    parts = [notification.subject]
    if notification.body and notification.body != notification.subject:
        parts.append(notification.body)
    text = _shorten("\n".join(parts), TEXT_LIMIT - len(link) - 1)
    return TextMessage(text=f"{text}\n{link}" if link else text)


def _link(recipient: User) -> LineLink | None:
    if not is_configured():
        return None
    return LineLink.objects.filter(user=recipient).first()


def chose_line_only(recipient: User) -> bool:
    """The person is linked and asked for LINE instead of e-mail (while LINE is configured)."""
    link = _link(recipient)
    return link is not None and link.delivery == LineLink.Delivery.LINE_ONLY


def send_line(notification: Notification) -> None:
    """The outbox's LINE channel: push one row; nothing (quietly) for someone not linked."""
    link = _link(notification.recipient)
    if link is None:
        return
    request = PushMessageRequest(to=link.line_user_id, messages=[message_for(notification)])
    with api_client() as client:
        try:
            messaging_api(client).push_message(
                request,
                x_line_retry_key=retry_key(notification),
                _request_timeout=REQUEST_TIMEOUT_SECONDS,
            )
        except ApiException as error:
            if error.status == 409:  # this retry key was accepted before: already delivered
                return
            raise


def reply_text(reply_token: str, text: str) -> None:
    """Answer a message the person sent to the Official Account (best effort)."""
    with api_client() as client:
        messaging_api(client).reply_message(
            ReplyMessageRequest(reply_token=reply_token, messages=[TextMessage(text=text)]),
            _request_timeout=REQUEST_TIMEOUT_SECONDS,
        )
