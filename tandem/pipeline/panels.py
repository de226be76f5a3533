"""What the pipeline shows on CRM pages: an account's deals, its timeline of notes, calls and
meetings (with the form to log one), the "New deal" button, a contact's activity, and the
open-deal count on the account list."""

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from tandem.core.pages import paginate, query_without
from tandem.core.registry import Column, Panel, register_column, register_panel
from tandem.crm.access import can_edit_crm
from tandem.pipeline import queries
from tandem.pipeline.access import can_add_deal
from tandem.pipeline.forms import ActivityForm
from tandem.pipeline.models import Deal

TIMELINE_PANEL = "pipeline.timeline"


def _account_deals(request, account) -> dict:
    open_deals, closed_deals = queries.account_deals(account)
    return {"open_deals": open_deals, "closed_deals": closed_deals}


def _timeline(request, account, *, activity_form=None) -> dict:
    """The account's activities, 20 a page, and the form to log one (bound after a refusal;
    `?deal=` picks the deal it is about)."""
    activities = queries.timeline(account.activities.all())
    if activity_form is None and can_edit_crm(request.user):
        deal_id = request.GET.get("deal")
        activity_form = ActivityForm(
            account=account, initial={"deal": deal_id} if deal_id else None
        )
    return {
        "page_obj": paginate(request, activities, per_page=20),
        "query_without_page": query_without(request, "page"),
        "activity_form": activity_form,
    }


def _contact_activities(request, contact) -> dict:
    return {"activities": queries.contact_activities(contact)}


def _with_open_deal_count(accounts):
    open_deals = (
        Deal.objects.open()
        .filter(account=OuterRef("pk"))
        .order_by()
        .values("account")
        .annotate(n=Count("id"))
        .values("n")
    )
    return accounts.annotate(
        open_deal_count=Coalesce(Subquery(open_deals, output_field=IntegerField()), 0)
    )


register_panel(
    Panel(
        page="account",
        name="pipeline.new_deal",
        slot="actions",
        template="pipeline/partials/_account_new_deal.html",
        visible=lambda user, account: can_add_deal(user),
    )
)
register_panel(
    Panel(
        page="account",
        name="pipeline.deals",
        template="pipeline/partials/_account_deals.html",
        context=_account_deals,
        visible=lambda user, account: user.has_perm("pipeline.view_deal"),
        order=10,
    )
)
register_panel(
    Panel(
        page="account",
        name=TIMELINE_PANEL,
        template="pipeline/partials/_account_timeline.html",
        context=_timeline,
        visible=lambda user, account: user.has_perm("pipeline.view_activity"),
        order=20,
    )
)
register_panel(
    Panel(
        page="contact",
        name="pipeline.activities",
        template="pipeline/partials/_contact_activities.html",
        context=_contact_activities,
        visible=lambda user, contact: user.has_perm("pipeline.view_activity"),
        order=10,
    )
)
register_column(
    Column(
        page="account_list",
        key="open",
        header="Open deals",
        template="pipeline/partials/_open_deals_cell.html",
        annotate=_with_open_deal_count,
        sort=("open_deal_count",),
        css="text-end",
    )
)
