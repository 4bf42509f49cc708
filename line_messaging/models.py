"""A person's link to their LINE account, and the one-time codes that make the link."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LineLink(models.Model):
    """This portal user receives notifications from the office's LINE Official Account."""

    class Delivery(models.TextChoices):
        BOTH = "both", _("LINE and e-mail")
        LINE_ONLY = "line", _("LINE only (no e-mail)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="line_link",
    )
    # The LINE user ID of this person as the office's channel sees it (U + 32 hex digits).
    line_user_id = models.CharField(_("LINE user ID"), max_length=64, unique=True)
    delivery = models.CharField(
        _("send notifications by"), max_length=8, choices=Delivery.choices, default=Delivery.BOTH
    )
    linked_at = models.DateTimeField(_("linked at"), default=timezone.now)

    class Meta:
        verbose_name = _("LINE link")
        verbose_name_plural = _("LINE links")

    def __str__(self) -> str:
        return str(self.user)


class LinkCode(models.Model):
    """A short code shown on the profile page; sent to the Official Account it links the sender."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="line_link_codes"
    )
    code = models.CharField(max_length=12)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # Two people can never hold the same open code.
            models.UniqueConstraint(
                fields=["code"], condition=Q(used_at__isnull=True), name="line_open_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.code
