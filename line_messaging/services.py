"""Writes of the LINE channel: link codes, linking, unlinking, the delivery choice."""

from __future__ import annotations

import datetime
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from line_messaging.models import LineLink, LinkCode

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off a phone screen
CODE_LENGTH = 8
CODE_LIFETIME = datetime.timedelta(minutes=15)


def normalise_code(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def link_code_issue(*, user: User) -> LinkCode:
    """A fresh one-time code for `user`; any code they had before stops working."""
    now = timezone.now()
    with transaction.atomic():
        LinkCode.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
        LinkCode.objects.filter(used_at__isnull=True, expires_at__lt=now).update(used_at=now)
    for _attempt in range(5):
        code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
        try:
            with transaction.atomic():
                return LinkCode.objects.create(
                    user=user, code=code, created_at=now, expires_at=now + CODE_LIFETIME
                )
        except IntegrityError:  # the same open code exists (one in a trillion): draw again
            continue
    raise RuntimeError("Could not draw a free LINE link code.")


def link_by_code(*, line_user_id: str, text: str) -> LineLink | None:
    """Link the LINE account that sent `text` if it is an open, unexpired code.

    Returns the link, or None when the text is not a valid code. A LINE account linked to
    someone else before is moved to the code's owner (one LINE account, one portal user).
    """
    code = normalise_code(text)
    if len(code) != CODE_LENGTH or not line_user_id:
        return None
    now = timezone.now()
    with transaction.atomic():
        found = (
            LinkCode.objects.select_for_update()
            .select_related("user")
            .filter(code=code, used_at__isnull=True, expires_at__gte=now)
            .first()
        )
        if found is None or not found.user.is_active:
            return None
        found.used_at = now
        found.save(update_fields=["used_at"])
        LineLink.objects.filter(line_user_id=line_user_id).exclude(user=found.user).delete()
        link, _created = LineLink.objects.update_or_create(
            user=found.user, defaults={"line_user_id": line_user_id, "linked_at": now}
        )
    return link


def unlink(*, user: User) -> bool:
    """Stop LINE notifications for `user`; e-mail carries them again. True if a link existed."""
    deleted, _rows = LineLink.objects.filter(user=user).delete()
    return bool(deleted)


def unlink_line_account(*, line_user_id: str) -> bool:
    """The person blocked or left the Official Account: pushing to them would only fail."""
    deleted, _rows = LineLink.objects.filter(line_user_id=line_user_id).delete()
    return bool(deleted)


def delivery_set(*, user: User, delivery: str) -> LineLink:
    link = LineLink.objects.get(user=user)
    if delivery not in LineLink.Delivery.values:
        raise ValueError(delivery)
    link.delivery = delivery
    link.save(update_fields=["delivery"])
    return link
