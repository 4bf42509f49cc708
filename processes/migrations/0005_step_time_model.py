"""Each step states its time model (none, working days, calendar days, per activity, until a
date of the case) instead of every step falling back to one working day; the wait step's date
key becomes the case date field, shared with the "until a date of the case" model."""

from django.db import migrations, models


def set_time_models(apps, schema_editor):
    """Existing steps keep their meaning: a wait waits for the case's date, numbers of days
    were working days, a step without numbers has no standard time."""
    StepDefinition = apps.get_model("processes", "StepDefinition")
    StepDefinition.objects.filter(kind="wait_until").update(time_model="until_case_date")
    StepDefinition.objects.exclude(kind="wait_until").filter(
        models.Q(days_min__isnull=False) | models.Q(days_max__isnull=False)
    ).update(time_model="working_days")


class Migration(migrations.Migration):
    dependencies = [
        ("processes", "0004_step_options_and_auto_done"),
    ]

    operations = [
        migrations.RenameField(
            model_name="stepdefinition",
            old_name="wait_until_field",
            new_name="case_date_field",
        ),
        migrations.AlterField(
            model_name="stepdefinition",
            name="case_date_field",
            field=models.CharField(
                blank=True,
                help_text="For wait-until steps and the “until a date of the case” time: the key of the case data holding the date (e.g. deadline).",
                max_length=64,
                verbose_name="case date field",
            ),
        ),
        migrations.AddField(
            model_name="stepdefinition",
            name="time_model",
            field=models.CharField(
                choices=[
                    ("none", "No standard time"),
                    ("working_days", "Working days"),
                    ("calendar_days", "Calendar days"),
                    ("per_activity", "Days per activity"),
                    ("until_case_date", "Until a date of the case"),
                ],
                default="none",
                help_text="As the manual gives it: none (no due date, never overdue), working days, calendar days, days per activity (times the number of activities entered in the step's form), or until a date held by the case.",
                max_length=16,
                verbose_name="standard time",
            ),
        ),
        migrations.AddField(
            model_name="stepdefinition",
            name="activity_field",
            field=models.CharField(
                blank=True,
                help_text="For days per activity: the form field holding the activities (a number, or a table with one row per activity).",
                max_length=64,
                verbose_name="activity count field",
            ),
        ),
        migrations.AlterField(
            model_name="stepdefinition",
            name="days_min",
            field=models.PositiveSmallIntegerField(
                blank=True, null=True, verbose_name="standard time, minimum (days)"
            ),
        ),
        migrations.AlterField(
            model_name="stepdefinition",
            name="days_max",
            field=models.PositiveSmallIntegerField(
                blank=True, null=True, verbose_name="standard time, maximum (days)"
            ),
        ),
        migrations.RunPython(set_time_models, migrations.RunPython.noop),
    ]
