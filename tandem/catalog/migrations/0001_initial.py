"""Suppliers, catalog items, labour roles and their rates move from estimates to catalog, the
cost basis that estimates, projects and change orders share. Only Django's idea of the models
moves: the tables (estimates_*) and rows stay; the content types are renamed so permissions
(view_costs too) and admin history follow."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import simple_history.models
import tandem.catalog.models
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models

from tandem.core.migration_ops import move_content_type


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('estimates', '0004_deal_protected'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='LabourRole',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('name', models.CharField(max_length=120, unique=True)),
                        ('union', models.BooleanField(default=False, help_text='Union crews have minimum calls and agreed overtime.')),
                        ('description', models.TextField(blank=True)),
                        ('active', models.BooleanField(default=True)),
                    ],
                    options={
                        'db_table': 'estimates_labourrole',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalRoleRate',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False)),
                        ('updated_at', models.DateTimeField(blank=True, editable=False)),
                        ('effective_from', models.DateField()),
                        ('cost_rate', models.DecimalField(decimal_places=2, max_digits=12, validators=[django.core.validators.MinValueValidator(0)], verbose_name='Cost rate per hour')),
                        ('bill_rate', models.DecimalField(decimal_places=2, max_digits=12, validators=[django.core.validators.MinValueValidator(0)], verbose_name='Bill rate per hour')),
                        ('overtime_multiplier', models.DecimalField(decimal_places=2, default=Decimal('1.5'), help_text='Overtime hours are paid and billed at this multiple of the rate.', max_digits=4, validators=[django.core.validators.MinValueValidator(1)])),
                        ('minimum_call_hours', models.DecimalField(decimal_places=2, default=Decimal('0'), help_text='Hours paid per person per call however short the work (union crews).', max_digits=5, validators=[django.core.validators.MinValueValidator(0)])),
                        ('currency', models.CharField(default=tandem.catalog.models.default_currency, max_length=3)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('role', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='catalog.labourrole')),
                    ],
                    options={
                        'verbose_name': 'historical role rate',
                        'verbose_name_plural': 'historical role rates',
                        'db_table': 'estimates_historicalrolerate',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Supplier',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('name', models.CharField(max_length=120, unique=True)),
                        ('contact_name', models.CharField(blank=True, max_length=120)),
                        ('email', models.EmailField(blank=True, max_length=254)),
                        ('phone', models.CharField(blank=True, max_length=40)),
                        ('website', models.URLField(blank=True)),
                        ('default_lead_time_days', models.PositiveSmallIntegerField(default=0, help_text='Days from order to delivery, unless an item says otherwise.')),
                        ('notes', models.TextField(blank=True)),
                        ('active', models.BooleanField(default=True)),
                    ],
                    options={
                        'db_table': 'estimates_supplier',
                        'ordering': ['name'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('default_lead_time_days__gte', 0)), name='supplier_lead_time_not_negative')],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalCatalogItem',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False)),
                        ('updated_at', models.DateTimeField(blank=True, editable=False)),
                        ('sku', models.CharField(db_index=True, max_length=64, verbose_name='SKU')),
                        ('name', models.CharField(max_length=200)),
                        ('category', models.CharField(choices=[('led', 'LED'), ('processing', 'Processing'), ('projection', 'Projection'), ('audio', 'Audio'), ('rigging', 'Rigging'), ('truss', 'Truss'), ('lighting', 'Lighting'), ('cabling', 'Cabling'), ('staging', 'Staging'), ('other', 'Other')], default='other', max_length=20)),
                        ('unit', models.CharField(choices=[('each', 'Each'), ('metre', 'Metre'), ('square_metre', 'Square metre'), ('day', 'Day'), ('week', 'Week'), ('hour', 'Hour'), ('set', 'Set'), ('pair', 'Pair')], default='each', max_length=20)),
                        ('unit_cost', models.DecimalField(decimal_places=2, max_digits=12, validators=[django.core.validators.MinValueValidator(0)])),
                        ('list_price', models.DecimalField(decimal_places=2, max_digits=12, validators=[django.core.validators.MinValueValidator(0)])),
                        ('lead_time_days', models.PositiveSmallIntegerField(blank=True, help_text="Leave empty to use the supplier's default.", null=True)),
                        ('active', models.BooleanField(default=True)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('supplier', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='catalog.supplier')),
                    ],
                    options={
                        'verbose_name': 'historical catalog item',
                        'verbose_name_plural': 'historical catalog items',
                        'db_table': 'estimates_historicalcatalogitem',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='RoleRate',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('effective_from', models.DateField()),
                        ('cost_rate', models.DecimalField(decimal_places=2, max_digits=12, validators=[django.core.validators.MinValueValidator(0)], verbose_name='Cost rate per hour')),
                        ('bill_rate', models.DecimalField(decimal_places=2, max_digits=12, validators=[django.core.validators.MinValueValidator(0)], verbose_name='Bill rate per hour')),
                        ('overtime_multiplier', models.DecimalField(decimal_places=2, default=Decimal('1.5'), help_text='Overtime hours are paid and billed at this multiple of the rate.', max_digits=4, validators=[django.core.validators.MinValueValidator(1)])),
                        ('minimum_call_hours', models.DecimalField(decimal_places=2, default=Decimal('0'), help_text='Hours paid per person per call however short the work (union crews).', max_digits=5, validators=[django.core.validators.MinValueValidator(0)])),
                        ('currency', models.CharField(default=tandem.catalog.models.default_currency, max_length=3)),
                        ('role', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='rates', to='catalog.labourrole')),
                    ],
                    options={
                        'db_table': 'estimates_rolerate',
                        'ordering': ['role__name', '-effective_from'],
                        'constraints': [models.UniqueConstraint(fields=('role', 'effective_from'), name='one_rate_per_role_and_day'), models.CheckConstraint(condition=models.Q(('cost_rate__gte', 0)), name='rate_cost_not_negative'), models.CheckConstraint(condition=models.Q(('bill_rate__gte', 0)), name='rate_bill_not_negative'), models.CheckConstraint(condition=models.Q(('overtime_multiplier__gte', 1)), name='rate_overtime_at_least_one'), models.CheckConstraint(condition=models.Q(('minimum_call_hours__gte', 0)), name='rate_minimum_call_not_negative')],
                    },
                ),
                migrations.CreateModel(
                    name='CatalogItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('sku', models.CharField(max_length=64, unique=True, verbose_name='SKU')),
                        ('name', models.CharField(max_length=200)),
                        ('category', models.CharField(choices=[('led', 'LED'), ('processing', 'Processing'), ('projection', 'Projection'), ('audio', 'Audio'), ('rigging', 'Rigging'), ('truss', 'Truss'), ('lighting', 'Lighting'), ('cabling', 'Cabling'), ('staging', 'Staging'), ('other', 'Other')], default='other', max_length=20)),
                        ('unit', models.CharField(choices=[('each', 'Each'), ('metre', 'Metre'), ('square_metre', 'Square metre'), ('day', 'Day'), ('week', 'Week'), ('hour', 'Hour'), ('set', 'Set'), ('pair', 'Pair')], default='each', max_length=20)),
                        ('unit_cost', models.DecimalField(decimal_places=2, max_digits=12, validators=[django.core.validators.MinValueValidator(0)])),
                        ('list_price', models.DecimalField(decimal_places=2, max_digits=12, validators=[django.core.validators.MinValueValidator(0)])),
                        ('lead_time_days', models.PositiveSmallIntegerField(blank=True, help_text="Leave empty to use the supplier's default.", null=True)),
                        ('active', models.BooleanField(default=True)),
                        ('supplier', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='items', to='catalog.supplier')),
                    ],
                    options={
                        'db_table': 'estimates_catalogitem',
                        'ordering': ['sku'],
                        'permissions': [('view_costs', 'Can see unit costs')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('unit_cost__gte', 0)), name='item_cost_not_negative'), models.CheckConstraint(condition=models.Q(('list_price__gte', 0)), name='item_price_not_negative'), models.CheckConstraint(condition=models.Q(('lead_time_days__isnull', True), ('lead_time_days__gte', 0), _connector='OR'), name='item_lead_time_not_negative')],
                    },
                ),
            ],
            database_operations=[],
        ),
        move_content_type("supplier", "estimates", "catalog"),
        move_content_type("catalogitem", "estimates", "catalog"),
        move_content_type("historicalcatalogitem", "estimates", "catalog"),
        move_content_type("labourrole", "estimates", "catalog"),
        move_content_type("rolerate", "estimates", "catalog"),
        move_content_type("historicalrolerate", "estimates", "catalog"),
    ]
