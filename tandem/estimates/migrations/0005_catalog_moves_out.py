"""The cost basis now lives in catalog (see catalog 0001): estimates forgets those models and
points its lines and past hours at catalog's; no table changes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0001_initial'),
        ('estimates', '0004_deal_protected'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='estimateline',
                    name='catalog_item',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='catalog.catalogitem'),
                ),
                migrations.RemoveField(
                    model_name='historicalcatalogitem',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalcatalogitem',
                    name='supplier',
                ),
                migrations.RemoveField(
                    model_name='historicalrolerate',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalrolerate',
                    name='role',
                ),
                migrations.AlterField(
                    model_name='pastprojecthours',
                    name='role',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='past_hours', to='catalog.labourrole'),
                ),
                migrations.RemoveField(
                    model_name='rolerate',
                    name='role',
                ),
                migrations.AlterField(
                    model_name='estimateline',
                    name='role',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='catalog.labourrole'),
                ),
                migrations.DeleteModel(
                    name='CatalogItem',
                ),
                migrations.DeleteModel(
                    name='HistoricalCatalogItem',
                ),
                migrations.DeleteModel(
                    name='Supplier',
                ),
                migrations.DeleteModel(
                    name='HistoricalRoleRate',
                ),
                migrations.DeleteModel(
                    name='RoleRate',
                ),
                migrations.DeleteModel(
                    name='LabourRole',
                ),
            ],
            database_operations=[],
        ),
    ]
