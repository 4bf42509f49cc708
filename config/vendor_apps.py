"""Thai names in the admin for two libraries that give none: django-axes (sign-in lockouts) and
django-otp's TOTP plugin (authenticator apps). Django's documented way to rename a third-party
app is to subclass its AppConfig and list the subclass in INSTALLED_APPS; the app labels, and
so the tables and migrations, stay the libraries' own."""

from __future__ import annotations

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.apps import DefaultConfig as TotpAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = _("Sign-in lockouts")


class TotpConfig(TotpAppConfig):
    verbose_name = _("Two-step sign-in")

    def ready(self) -> None:
        super().ready()
        # django-otp names its model in plain English, outside any catalogue.
        device = self.get_model("TOTPDevice")
        device._meta.verbose_name = _("authenticator app")
        device._meta.verbose_name_plural = _("authenticator apps")
