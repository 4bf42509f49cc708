"""Delivery channels of the notification outbox: e-mail here; others (LINE, …) plug in.

A channel is a callable `send(notification)` registered under a name. It returns normally when
the message went out or when the channel does not apply to the recipient (no e-mail address,
no LINE link), and raises on a failure worth retrying. `processes.services.deliver_one` calls
every registered channel for an outbox row, remembers in `Notification.channels_done` those
that delivered, and retries only the others, so no channel sends the same row twice.

Register a channel in the owning app's `AppConfig.ready`::

    from processes.channels import register_channel
    register_channel("line", send_line, replaces_email=chose_line_only)

`replaces_email(user)` (optional) is true for a person who chose that channel *instead of*
e-mail; the e-mail channel then stays silent for them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail

if TYPE_CHECKING:
    from accounts.models import User
    from processes.models import Notification

Sender = Callable[["Notification"], None]
EmailReplaced = Callable[["User"], bool]
_channels: dict[str, Sender] = {}
_replaces_email: dict[str, EmailReplaced] = {}


def register_channel(
    name: str, send: Sender, *, replaces_email: EmailReplaced | None = None
) -> None:
    """Add (or replace) the channel `name`; channels are tried in registration order."""
    _channels[name] = send
    if replaces_email is None:
        _replaces_email.pop(name, None)
    else:
        _replaces_email[name] = replaces_email


def registered_channels() -> dict[str, Sender]:
    return dict(_channels)


def absolute_link(notification: Notification) -> str:
    """The portal address the notification points to, or "" when it points nowhere."""
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}{notification.url}" if notification.url else ""


def message_text(notification: Notification) -> str:
    """The body with the portal link, as every text channel sends it."""
    link = absolute_link(notification)
    return "\n\n".join(part for part in (notification.body, link) if part)


def email_replaced(recipient: User) -> bool:
    """Whether `recipient` chose another channel instead of e-mail."""
    return any(check(recipient) for name, check in _replaces_email.items() if name in _channels)


def send_email(notification: Notification) -> None:
    """Without an e-mail address, or for a person who chose another channel instead, nothing
    is mailed; the notification still shows in the portal."""
    address = notification.recipient.email
    if address and not email_replaced(notification.recipient):
        send_mail(
            subject=notification.subject,
            message=message_text(notification),
            from_email=None,
            recipient_list=[address],
        )


register_channel("email", send_email)
