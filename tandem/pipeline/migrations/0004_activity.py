"""Activity (notes, calls, meetings, emails) moves from crm to pipeline, where the deals it
can be about live, so crm no longer depends on pipeline. Only Django's idea of the model
moves: the tables (crm_activity and its two link tables), rows and index stay as they are,
and the content type is renamed so permissions and admin history follow."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from tandem.core.migration_ops import move_content_type


class Migration(migrations.Migration):

    dependencies = [
        ('crm', '0002_initial'),
        ('pipeline', '0003_board_indexes'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Activity',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('kind', models.CharField(choices=[('note', 'Note'), ('call', 'Call'), ('meeting', 'Meeting'), ('email', 'Email')], default='note', max_length=16)),
                        ('occurred_at', models.DateTimeField(db_index=True)),
                        ('subject', models.CharField(max_length=200)),
                        ('body', models.TextField(blank=True)),
                        ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='activities', to='crm.account')),
                        ('attendees', models.ManyToManyField(blank=True, related_name='attended_activities', to=settings.AUTH_USER_MODEL)),
                        ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='activities', to=settings.AUTH_USER_MODEL)),
                        ('contacts', models.ManyToManyField(blank=True, related_name='activities', to='crm.contact')),
                        ('deal', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='activities', to='pipeline.deal')),
                    ],
                    options={
                        'verbose_name_plural': 'activities',
                        'db_table': 'crm_activity',
                        'ordering': ['-occurred_at', '-id'],
                        'indexes': [models.Index(fields=['account', '-occurred_at'], name='crm_activit_account_72b763_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
        move_content_type("activity", "crm", "pipeline"),
    ]
