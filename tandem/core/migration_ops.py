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


def repair_currencies(app_label: str, model: str) -> migrations.RunPython:
    """Bring every `model.currency` to an ISO 4217 code: " usd " becomes "USD", and what is no
    currency at all ("DOL", "") becomes the company's, each such row logged by id so someone
    can check its amount. Historical rows stay as they were: they record the past.

    Going back leaves the repaired codes alone (they were valid before as well)."""
    import logging

    from tandem.core.currencies import CURRENCIES, default_currency

    def run(apps, schema_editor):
        log = logging.getLogger("tandem.migrations")
        rows = apps.get_model(app_label, model).objects
        fallback = default_currency()
        for pk, currency in rows.exclude(currency__in=list(CURRENCIES)).values_list(
            "pk", "currency"
        ):
            code = (currency or "").strip().upper()
            if code not in CURRENCIES:
                log.warning(
                    "%s.%s %s had currency %r, which is no ISO 4217 code: set to %s.",
                    app_label,
                    model,
                    pk,
                    currency,
                    fallback,
                )
                code = fallback
            rows.filter(pk=pk).update(currency=code)

    return migrations.RunPython(run, migrations.RunPython.noop, elidable=False)
