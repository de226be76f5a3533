"""The company's days off now live in core (see core 0002): closeplans forgets the model,
its table stays."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('closeplans', '0002_deal_protected'),
        ('core', '0002_companyholiday'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='CompanyHoliday')],
            database_operations=[],
        ),
    ]
