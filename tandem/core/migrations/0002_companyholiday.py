"""The company's days off move from closeplans to core, beside the business calendar every
app shares. Only Django's idea of the model moves: the table closeplans_companyholiday and
its rows stay; the content type is renamed so permissions follow."""

from django.db import migrations, models

from tandem.core.migration_ops import move_content_type


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_outbox'),
        ('closeplans', '0002_deal_protected'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CompanyHoliday',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField(unique=True)),
                        ('name', models.CharField(max_length=120)),
                    ],
                    options={
                        'db_table': 'closeplans_companyholiday',
                        'ordering': ['date'],
                    },
                ),
            ],
            database_operations=[],
        ),
        move_content_type("companyholiday", "closeplans", "core"),
    ]
