"""Re-encrypt students' national IDs under a new PORTAL_FIELD_KEY.

    PORTAL_FIELD_KEY_OLD=<the key until now> PORTAL_FIELD_KEY=<the new key> \
        .venv/bin/python manage.py rotate_field_key

Both keys come from the environment, never from the command line (shell history and process
lists would keep them). Run it with the portal stopped; rerunning it is safe.
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.fieldcrypt import DecryptionError, FieldCipher
from dmc_emis.models import NATIONAL_ID_PURPOSE, national_id_cipher
from dmc_emis.rekey import national_ids_rekey


class Command(BaseCommand):
    help = "Re-encrypt students' national IDs from PORTAL_FIELD_KEY_OLD to PORTAL_FIELD_KEY."

    def handle(self, *args: Any, **options: Any) -> None:
        old_secret = os.environ.get("PORTAL_FIELD_KEY_OLD", "")
        if not old_secret:
            raise CommandError("Set PORTAL_FIELD_KEY_OLD to the key the IDs are encrypted with.")
        if old_secret == settings.PORTAL_FIELD_KEY:
            raise CommandError("PORTAL_FIELD_KEY_OLD and PORTAL_FIELD_KEY are the same key.")
        try:
            result = national_ids_rekey(
                old=FieldCipher(old_secret, NATIONAL_ID_PURPOSE), new=national_id_cipher()
            )
        except DecryptionError as error:
            raise CommandError(
                "A stored ID opens with neither key; nothing was changed."
            ) from error
        self.stdout.write(
            f"{result.resealed} IDs re-encrypted, {result.already_new} already under the new "
            f"key, {result.findings} findings re-keyed."
        )
