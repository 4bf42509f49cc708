"""Start with service targets a district ICT desk can keep; admins adjust them per office."""

from django.db import migrations

TARGETS = [
    # priority, first response (working hours), resolve (working days)
    ("critical", 2, 1),
    ("high", 4, 3),
    ("normal", 8, 5),
    ("low", 16, 10),
]


def seed(apps, schema_editor):
    SlaTarget = apps.get_model("repairs", "SlaTarget")
    for priority, hours, days in TARGETS:
        SlaTarget.objects.get_or_create(
            priority=priority, defaults={"first_response_hours": hours, "resolve_days": days}
        )


class Migration(migrations.Migration):
    dependencies = [("repairs", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
