"""Activity now lives in pipeline (see pipeline 0004): crm forgets the model, its tables stay."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('crm', '0002_initial'),
        ('pipeline', '0004_activity'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Activity')],
            database_operations=[],
        ),
    ]
