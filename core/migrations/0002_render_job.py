"""The documents people wait for, rendered by a worker (core.render_jobs)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_schedule_import_requeue'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='RenderJob',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('renderer', models.CharField(max_length=64, verbose_name='document kind')),
                ('arguments', models.JSONField(blank=True, default=dict, verbose_name='arguments')),
                ('key', models.CharField(max_length=255, verbose_name='same-document key')),
                ('version', models.CharField(blank=True, max_length=64, verbose_name='content fingerprint')),
                ('title', models.CharField(max_length=255, verbose_name='document')),
                ('back_url', models.CharField(blank=True, max_length=500, verbose_name='back to')),
                ('status', models.CharField(choices=[('queued', 'Waiting for its turn'), ('running', 'Being prepared'), ('done', 'Ready'), ('failed', 'Could not be prepared')], default='queued', max_length=8, verbose_name='status')),
                ('phase', models.CharField(choices=[('waiting', 'Waiting for a worker'), ('gathering', 'Gathering the data'), ('layout', 'Laying out the pages'), ('writing', 'Writing the PDF'), ('storing', 'Storing the file'), ('finished', 'Finished')], default='waiting', max_length=10, verbose_name='phase')),
                ('progress', models.PositiveSmallIntegerField(default=0, verbose_name='progress (%)')),
                ('file', models.FileField(blank=True, max_length=255, upload_to='renders/', verbose_name='file')),
                ('filename', models.CharField(blank=True, max_length=255, verbose_name='file name')),
                ('size', models.PositiveIntegerField(default=0, verbose_name='size (bytes)')),
                ('error', models.CharField(blank=True, max_length=500, verbose_name='why it failed')),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='attempts')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='requested at')),
                ('queued_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='queued at')),
                ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='started at')),
                ('heartbeat_at', models.DateTimeField(blank=True, null=True, verbose_name='last progress at')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished at')),
                ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='asked for by')),
            ],
            options={
                'verbose_name': 'rendered document',
                'verbose_name_plural': 'rendered documents',
                'ordering': ['-created_at', '-pk'],
                'indexes': [models.Index(fields=['requested_by', 'renderer', 'key', '-created_at'], name='render_job_reuse'), models.Index(fields=['status', 'queued_at'], name='render_job_status'), models.Index(fields=['finished_at'], name='render_job_finished')],
            },
        ),
    ]
