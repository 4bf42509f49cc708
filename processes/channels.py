"""Delivery channels of the notification outbox: e-mail here; others (LINE, …) plug in.

A channel is a callable `send(notification)` registered under a name. It returns normally when
the message went out or when the channel does not apply to the recipient (no e-mail address,
no LINE link), and raises on a failure worth retrying. `processes.services.deliver_one` calls
every registered channel for an outbox row, remembers in `Notification.channels_done` those
that delivered, and retries only the others, so no channel sends the same row twice.

Register a channel in the owning app's `AppConfig.ready`::

    from processes.channels import register_channel
    register_channel("line", send_line)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail

if TYPE_CHECKING:
    from processes.models import Notification

Sender = Callable[["Notification"], None]
_channels: dict[str, Sender] = {}


def register_channel(name: str, send: Sender) -> None:
    """Add (or replace) the channel `name`; channels are tried in registration order."""
    _channels[name] = send


def registered_channels() -> dict[str, Sender]:
    return dict(_channels)


def message_text(notification: Notification) -> str:
    """The body with the portal link, as every text channel sends it."""
    link = f"{settings.PORTAL_BASE_URL.rstrip('/')}{notification.url}" if notification.url else ""
    return "\n\n".join(part for part in (notification.body, link) if part)


def send_email(notification: Notification) -> None:
    """Without an e-mail address the notification still shows in the portal."""
    address = notification.recipient.email
    if address:
        send_mail(
            subject=notification.subject,
            message=message_text(notification),
            from_email=None,
            recipient_list=[address],
        )


register_channel("email", send_email)
