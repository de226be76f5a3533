"""Operations for migrations that move a model from one app to another without touching its
table: Django's idea of the model moves (SeparateDatabaseAndState in both apps), and the
content type is renamed so permissions, admin history and generic links follow."""

from django.db import migrations


def move_content_type(model: str, old_app: str, new_app: str) -> migrations.RunPython:
    """A reversible operation renaming `model`'s content type from `old_app` to `new_app`."""

    def rename(old: str, new: str):
        def run(apps, schema_editor):
            content_type = apps.get_model("contenttypes", "ContentType")
            content_type.objects.filter(app_label=old, model=model).update(app_label=new)

        return run

    return migrations.RunPython(rename(old_app, new_app), rename(new_app, old_app), elidable=False)
