"""The runs of periodic jobs move from notifications to core, beside the job registry and the
scheduler every app's jobs go through. Only Django's idea of the model moves: the table
notifications_periodicrun and its rows stay; the content type is renamed."""

from django.db import migrations, models

from tandem.core.migration_ops import move_content_type


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0002_companyholiday'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='PeriodicRun',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('job', models.CharField(max_length=60)),
                        ('period', models.CharField(max_length=30)),
                        ('started_at', models.DateTimeField()),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('result', models.JSONField(blank=True, default=dict)),
                    ],
                    options={
                        'db_table': 'notifications_periodicrun',
                        'ordering': ['-started_at'],
                        'constraints': [models.UniqueConstraint(fields=('job', 'period'), name='periodicrun_once')],
                    },
                ),
            ],
            database_operations=[],
        ),
        move_content_type("periodicrun", "notifications", "core"),
    ]
