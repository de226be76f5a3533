"""Core's periodic work: each morning, the outbox is drained of stragglers and tidied."""

from tandem.core.registry import Job, register_job

register_job(Job(name="outbox", task="tandem.core.tasks.tidy_outbox", cadence="daily"))
