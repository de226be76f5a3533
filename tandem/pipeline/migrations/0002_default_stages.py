from django.db import migrations

STAGES = [
    ("Qualify", 1, 10, False, False),
    ("Discovery", 2, 20, False, False),
    ("Proposal", 3, 40, False, False),
    ("Negotiation", 4, 60, False, False),
    ("Verbal commit", 5, 80, False, False),
    ("Won", 6, 100, True, False),
    ("Lost", 7, 0, False, True),
]


def create_stages(apps, schema_editor):
    Stage = apps.get_model("pipeline", "Stage")
    if Stage.objects.exists():
        return
    Stage.objects.bulk_create(
        Stage(name=name, order=order, probability=p, is_won=won, is_lost=lost)
        for name, order, p, won, lost in STAGES
    )


class Migration(migrations.Migration):
    dependencies = [("pipeline", "0001_initial")]

    operations = [migrations.RunPython(create_stages, migrations.RunPython.noop)]
