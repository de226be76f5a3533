"""The runs of periodic jobs now live in core (see core 0003): notifications forgets the model,
its table stays."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_periodicrun'),
        ('notifications', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='PeriodicRun',
                ),
            ],
            database_operations=[],
        ),
    ]
