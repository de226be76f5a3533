"""Close plans' periodic work: each morning's checkups (and plan health)."""

from tandem.core.registry import Job, register_job

register_job(Job(name="checkups", task="tandem.closeplans.tasks.send_checkups", cadence="daily"))
