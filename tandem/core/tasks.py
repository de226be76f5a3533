"""Background jobs of core, run by the task worker."""

from django_tasks import task

from tandem.core.outbox import drain


@task()
def drain_outbox() -> int:
    """Hand the outbox's pending events to their later handlers; safe to run twice."""
    return drain()
