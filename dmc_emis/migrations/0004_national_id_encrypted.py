"""Students' national IDs encrypted at rest (AES-GCM) with a keyed look-up hash (HMAC-SHA256).

Forwards: every stored ID is sealed into `national_id_encrypted` and hashed into
`national_id_hash` in batches, the findings' subject keys (an unkeyed SHA-256 of the ID, which
anyone can reverse by trying every number) become the keyed hash, and the plain column goes.

Reversible, with the same PORTAL_FIELD_KEY: backwards decrypts into a plain column again (the
findings keep the keyed hash as their subject key, which only matters for not repeating an
open duplicate issue). Without the key the backwards step fails rather than lose data.
"""

import hashlib

from django.db import migrations, models

BATCH = 2000
PURPOSE = "dmc_emis.StudentRecord.national_id"


def _cipher():
    from core.fieldcrypt import cipher_for

    return cipher_for(PURPOSE)


def _update(schema_editor, model, columns: list[str], rows: list[tuple]) -> None:
    """One prepared UPDATE per row (executemany): bulk_update's CASE expressions cost minutes
    for a hundred thousand rows, in Python and in the database alike."""
    quote = schema_editor.quote_name
    assignments = ", ".join(f"{quote(column)} = %s" for column in columns)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote('id')} = %s"
    with schema_editor.connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def encrypt_ids(apps, schema_editor):
    StudentRecord = apps.get_model("dmc_emis", "StudentRecord")
    Finding = apps.get_model("dmc_emis", "Finding")
    cipher = _cipher()
    last_pk = 0
    while True:
        rows = list(
            StudentRecord.objects.filter(pk__gt=last_pk)
            .exclude(national_id="")
            .order_by("pk")
            .values_list("pk", "national_id")[:BATCH]
        )
        if not rows:
            break
        last_pk = rows[-1][0]
        updates = []
        old_keys: dict[str, str] = {}
        for pk, national_id in rows:
            token, digest = cipher.encrypt(national_id), cipher.lookup_hash(national_id)
            updates.append((token, digest, pk))
            old_keys[hashlib.sha256(national_id.encode()).hexdigest()[:40]] = digest
        _update(
            schema_editor, StudentRecord, ["national_id_encrypted", "national_id_hash"], updates
        )
        for old in set(
            Finding.objects.filter(subject_key__in=list(old_keys)).values_list(
                "subject_key", flat=True
            )
        ):
            Finding.objects.filter(subject_key=old).update(subject_key=old_keys[old])


def decrypt_ids(apps, schema_editor):
    StudentRecord = apps.get_model("dmc_emis", "StudentRecord")
    cipher = _cipher()
    last_pk = 0
    while True:
        rows = list(
            StudentRecord.objects.filter(pk__gt=last_pk)
            .exclude(national_id_encrypted="")
            .order_by("pk")
            .values_list("pk", "national_id_encrypted")[:BATCH]
        )
        if not rows:
            break
        last_pk = rows[-1][0]
        _update(
            schema_editor,
            StudentRecord,
            ["national_id"],
            [(cipher.decrypt(token), pk) for pk, token in rows],
        )


class Migration(migrations.Migration):
    dependencies = [
        ("dmc_emis", "0003_duty_kinds"),
    ]

    operations = [
        migrations.AddField(
            model_name="studentrecord",
            name="national_id_encrypted",
            field=models.CharField(
                blank=True,
                editable=False,
                max_length=120,
                verbose_name="national ID (encrypted)",
            ),
        ),
        migrations.AddField(
            model_name="studentrecord",
            name="national_id_hash",
            field=models.CharField(
                blank=True,
                editable=False,
                max_length=64,
                verbose_name="national ID look-up hash",
            ),
        ),
        migrations.RunPython(encrypt_ids, decrypt_ids, elidable=False),
        migrations.RemoveIndex(
            model_name="studentrecord",
            name="student_round_national_id",
        ),
        migrations.RemoveField(
            model_name="studentrecord",
            name="national_id",
        ),
        migrations.AddIndex(
            model_name="studentrecord",
            index=models.Index(fields=["round", "national_id_hash"], name="student_round_nid_hash"),
        ),
    ]
