"""Thai digits are the office's choice for all its documents' years, not one report year's:
the latest year's choice moves to the office's document settings, then the per-year field goes.

An office that made the choice but never saved its document settings gets a settings row
with the defaults the portal shows for it (office name, ICT group, telephone)."""

from django.db import migrations


def copy_to_office_settings(apps, schema_editor):
    YearlyReportText = apps.get_model("reports", "YearlyReportText")
    OfficeDocumentSettings = apps.get_model("documents", "OfficeDocumentSettings")
    Office = apps.get_model("accounts", "Office")
    latest = {}
    for office_id, thai_digits in YearlyReportText.objects.order_by(
        "office_id", "fiscal_year"
    ).values_list("office_id", "thai_digits"):
        latest[office_id] = thai_digits  # the last (latest year) wins
    for office_id, thai_digits in latest.items():
        updated = OfficeDocumentSettings.objects.filter(office_id=office_id).update(
            thai_digits=thai_digits
        )
        if not updated:
            office = Office.objects.get(pk=office_id)
            OfficeDocumentSettings.objects.create(
                office=office,
                office_name=office.name_th,
                group_name=office.ict_group_name,
                telephone=office.phone,
                thai_digits=thai_digits,
            )


def copy_back(apps, schema_editor):
    YearlyReportText = apps.get_model("reports", "YearlyReportText")
    OfficeDocumentSettings = apps.get_model("documents", "OfficeDocumentSettings")
    for office_id, thai_digits in OfficeDocumentSettings.objects.values_list(
        "office_id", "thai_digits"
    ):
        YearlyReportText.objects.filter(office_id=office_id).update(thai_digits=thai_digits)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_periodic_task_names_in_thai"),
        ("documents", "0004_office_thai_digits"),
    ]

    operations = [
        migrations.RunPython(copy_to_office_settings, copy_back),
        migrations.RemoveField(model_name="yearlyreporttext", name="thai_digits"),
    ]
