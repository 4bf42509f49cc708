"""Delivery channels of the notification outbox: e-mail is built in, others plug in.

Delivering one outbox row asks every registered channel whether it serves the recipient and
sends through each one that does and has not yet delivered that row (the row remembers which
channels are done, so a retry after a partial failure repeats nothing). A channel that is
chosen *instead of* e-mail says so through `replaces_email`; the e-mail channel then stays
silent for that person.

A domain app registers its channel in its AppConfig.ready():

    from processes.channels import register_channel
    register_channel(LineChannel())
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.core.mail import send_mail

if TYPE_CHECKING:
    from accounts.models import User
    from processes.models import Notification


class Channel(Protocol):
    key: str  # short and stable: stored in Notification.channels_done

    def serves(self, recipient: User) -> bool:
        """Whether this channel should carry notifications to `recipient` at all."""

    def replaces_email(self, recipient: User) -> bool:
        """Whether `recipient` chose this channel instead of e-mail."""

    def send(self, notification: Notification) -> None:
        """Deliver one row or raise; a raised error leaves the row for a later attempt."""


def absolute_link(notification: Notification) -> str:
    if not notification.url:
        return ""
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}{notification.url}"


class EmailChannel:
    key = "email"

    def serves(self, recipient: User) -> bool:
        if not recipient.email:
            return False
        return not any(
            channel.replaces_email(recipient)
            for channel in _CHANNELS.values()
            if channel is not self
        )

    def replaces_email(self, recipient: User) -> bool:
        return False

    def send(self, notification: Notification) -> None:
        body = "\n\n".join(
            part for part in (notification.body, absolute_link(notification)) if part
        )
        send_mail(
            subject=notification.subject,
            message=body,
            from_email=None,
            recipient_list=[notification.recipient.email],
        )


_CHANNELS: dict[str, Channel] = {}


def register_channel(channel: Channel) -> None:
    """Add (or replace, by key) a delivery channel."""
    _CHANNELS[channel.key] = channel


def unregister_channel(key: str) -> None:
    _CHANNELS.pop(key, None)


def channels() -> list[Channel]:
    return list(_CHANNELS.values())


register_channel(EmailChannel())
