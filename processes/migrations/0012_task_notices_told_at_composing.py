"""Digest lines per person become one notice per task (fan-out when digests are composed).

Every task and stage an old line named becomes a notice of the earliest day it was written;
digests already in the outbox are marked as telling every notice there is, so nobody is told
again what an old digest told (a line still waiting at the upgrade is not told afterwards).
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Max, Min


def lines_to_notices(apps, schema_editor):
    DigestItem = apps.get_model("processes", "DigestItem")
    TaskNotice = apps.get_model("processes", "TaskNotice")
    Notification = apps.get_model("processes", "Notification")
    firsts = (
        DigestItem.objects.values("task_id", "stage").annotate(day=Min("day")).order_by()
    )
    TaskNotice.objects.bulk_create(
        (TaskNotice(task_id=row["task_id"], stage=row["stage"], day=row["day"]) for row in firsts),
        batch_size=2000,
        ignore_conflicts=True,
    )
    last = TaskNotice.objects.aggregate(last=Max("pk"))["last"]
    if last is not None:
        Notification.objects.filter(kind="daily_digest").update(digest_upto=last)


class Migration(migrations.Migration):

    dependencies = [
        ('processes', '0011_notification_field_names'),
    ]

    operations = [
        migrations.AddField(
            model_name='notification',
            name='digest_upto',
            field=models.BigIntegerField(blank=True, editable=False, null=True, verbose_name='last notice listed'),
        ),
        migrations.CreateModel(
            name='TaskNotice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('stage', models.CharField(choices=[('due_soon', 'Due soon'), ('overdue', 'Overdue'), ('escalated', 'Overdue, for your attention')], max_length=10)),
                ('day', models.DateField()),
                ('task', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notices', to='processes.task')),
            ],
        ),
        migrations.AddIndex(
            model_name='tasknotice',
            index=models.Index(fields=['day'], name='task_notice_day_idx'),
        ),
        migrations.AddConstraint(
            model_name='tasknotice',
            constraint=models.UniqueConstraint(fields=('task', 'stage'), name='one_notice_per_stage'),
        ),
        migrations.RunPython(lines_to_notices, migrations.RunPython.noop),
        migrations.DeleteModel(
            name='DigestItem',
        ),
    ]
