"""Re-encrypting students' national IDs when PORTAL_FIELD_KEY changes (`manage.py
rotate_field_key`): each ID is opened with the old key and sealed and hashed again with the
new one, and the findings' subject keys (the look-up hash) follow, all in one transaction so a
failure leaves every row under the old key. Rows already under the new key are left alone, so
a rerun after an interruption finishes the job."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from core.fieldcrypt import DecryptionError, FieldCipher
from dmc_emis.models import Finding, StudentRecord

BATCH = 2000


@dataclass
class RekeyResult:
    resealed: int = 0
    already_new: int = 0
    findings: int = 0


def _reseal(token: str, old: FieldCipher, new: FieldCipher) -> tuple[str, str, str] | None:
    """(old hash, new token, new hash) of a token under the old key; None if the new key
    already opens it. A token neither key opens is an error: nothing is changed."""
    try:
        national_id = old.decrypt(token)
    except DecryptionError:
        new.decrypt(token)  # raises DecryptionError for a token of neither key
        return None
    return old.lookup_hash(national_id), new.encrypt(national_id), new.lookup_hash(national_id)


@transaction.atomic
def national_ids_rekey(*, old: FieldCipher, new: FieldCipher) -> RekeyResult:
    result = RekeyResult()
    hashes: dict[str, str] = {}
    last_pk = 0
    while True:
        batch = list(
            StudentRecord.objects.filter(pk__gt=last_pk)
            .exclude(national_id_encrypted="")
            .order_by("pk")
            .only("pk", "national_id_encrypted")[:BATCH]
        )
        if not batch:
            break
        last_pk = batch[-1].pk
        changed = []
        for record in batch:
            sealed = _reseal(record.national_id_encrypted, old, new)
            if sealed is None:
                result.already_new += 1
                continue
            old_hash, record.national_id_encrypted, record.national_id_hash = sealed
            hashes[old_hash] = record.national_id_hash
            changed.append(record)
        StudentRecord.objects.bulk_update(
            changed, ["national_id_encrypted", "national_id_hash"], batch_size=500
        )
        result.resealed += len(changed)
    for old_hash, new_hash in hashes.items():
        result.findings += Finding.objects.filter(subject_key=old_hash).update(subject_key=new_hash)
    return result
