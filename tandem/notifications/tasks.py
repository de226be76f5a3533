"""Background jobs of the inbox, run by the task worker."""

from django_tasks import task

from tandem.notifications.services import do_email_pending


@task()
def email_notices(key: str) -> int:
    """Email the notices named `key` that have not been emailed; safe to run twice."""
    return do_email_pending(key)
