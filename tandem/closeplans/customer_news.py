"""New from the customer: what customers did on shared plans since one of our people last
opened the deal's page, for the deal page's panel and the seller's Today card."""

import datetime as dt

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet

from tandem.closeplans.models import CustomerActivity, PlanSeen
from tandem.people.models import User

# Someone who never opened a deal's page is shown this far back, not the plan's whole past.
NEWS_DAYS = 30


def unseen_by(user: User, now: dt.datetime) -> QuerySet[CustomerActivity]:
    """Customer activity (of the last NEWS_DAYS days) that `user` has not seen: later than
    their last opening of the deal's page, or on a plan whose page they never opened."""
    seen_after = PlanSeen.objects.filter(
        user=user, plan=OuterRef("plan"), seen_at__gte=OuterRef("at")
    )
    return CustomerActivity.objects.filter(at__gte=now - dt.timedelta(days=NEWS_DAYS)).exclude(
        Exists(seen_after)
    )


def news_since(plan_id: int, since: dt.datetime | None, now: dt.datetime, limit: int) -> list:
    """The plan's customer activity after `since` (None: the last NEWS_DAYS days), newest
    first, at most `limit`, with the step and comment each names."""
    floor = now - dt.timedelta(days=NEWS_DAYS)
    after = max(since, floor) if since else floor
    return list(
        CustomerActivity.objects.filter(plan_id=plan_id, at__gt=after)
        .select_related("step", "comment")
        .order_by("-at", "-id")[:limit]
    )


def news_by_deal(user: User, now: dt.datetime, shown: int) -> tuple[list[dict], dict]:
    """The deals `user` owns with unseen customer activity, latest first, as rows of
    deal id, name, account, how many updates and when the latest was; and the latest
    activity of each of the first `shown` deals, by deal id. At most three queries,
    whatever the size.
    """
    news = unseen_by(user, now)
    # The plans with any customer activity lately come first, from the index on its time:
    # few, even in a big company, while a seller can own thousands of deals, and starting
    # from those had the database walk every one of them to find no news.
    lately = set(news.order_by().values_list("plan_id", flat=True).distinct())
    if not lately:
        return [], {}
    news = news.filter(plan_id__in=lately, plan__deal__owner=user)
    rows = list(
        news.values("plan__deal_id", "plan__deal__name", "plan__deal__account__name", "plan_id")
        .annotate(updates=Count("id"), latest=Max("at"))
        .order_by("-latest", "plan__deal_id")
    )
    first = rows[:shown]
    latest = {}
    if first:
        matches = Q()
        for row in first:
            matches |= Q(plan_id=row["plan_id"], at=row["latest"])
        for activity in news.filter(matches).select_related("step", "plan").order_by("-id"):
            latest.setdefault(activity.plan.deal_id, activity)
    return rows, latest
