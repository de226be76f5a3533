"""Writes to close plans, by concern: templates, plans and their steps, health, customer links.

check_* functions validate and raise ValidationError; do_* functions write in one transaction.
Every change to a plan's steps refreshes the plan's health, so the board never reads steps.
Callers use `services.<name>` whichever module it lives in.
"""

from tandem.closeplans.services.common import STEP_FIELDS, TEMPLATE_FIELDS, TEMPLATE_STEP_FIELDS
from tandem.closeplans.services.health import assess, refresh_all_health, refresh_health
from tandem.closeplans.services.links import (
    do_create_share_link,
    do_customer_comment,
    do_customer_mark_step,
    do_revoke_share_link,
    open_share_link,
    share_token,
)
from tandem.closeplans.services.news import (
    do_mark_plan_seen,
    do_record_customer_activity,
    notice_key_prefix,
)
from tandem.closeplans.services.plans import (
    check_plan_editable,
    check_step,
    do_accept_proposed_close,
    do_add_step,
    do_apply_template,
    do_comment,
    do_remove_step,
    do_set_step_status,
    do_update_step,
    follow_close_date,
)
from tandem.closeplans.services.templates import (
    check_template_step,
    do_add_template_step,
    do_create_template,
    do_create_template_with_steps,
    do_delete_template,
    do_remove_template_step,
    do_update_template,
    do_update_template_step,
)

__all__ = [
    "STEP_FIELDS",
    "TEMPLATE_FIELDS",
    "TEMPLATE_STEP_FIELDS",
    "assess",
    "check_plan_editable",
    "check_step",
    "check_template_step",
    "do_accept_proposed_close",
    "do_add_step",
    "do_add_template_step",
    "do_apply_template",
    "do_comment",
    "do_create_share_link",
    "do_create_template",
    "do_mark_plan_seen",
    "do_record_customer_activity",
    "do_create_template_with_steps",
    "do_customer_comment",
    "do_customer_mark_step",
    "do_delete_template",
    "do_remove_step",
    "do_remove_template_step",
    "do_revoke_share_link",
    "do_set_step_status",
    "do_update_step",
    "do_update_template",
    "do_update_template_step",
    "follow_close_date",
    "notice_key_prefix",
    "open_share_link",
    "refresh_all_health",
    "refresh_health",
    "share_token",
]
