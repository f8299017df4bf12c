"""Today's memory of the facilitator's visits, so that it can show what partners did since the last one.

What makes a new visit: Today opened more than ``VISIT_GAP`` after it was
last opened. Opening it again within the gap (a reload, coming back from a
commitment to the list) is the same visit: "since your last visit" keeps its
start, so a reload never empties the list the facilitator is reading. When a
new visit begins, its start moves to the last time Today was opened in the
visit before: what partners did after that moment is what the facilitator
has not seen on Today yet.

A gap rather than "once a day", because facilitators look in the morning
and again after a field visit in the afternoon, and the afternoon look
should show what came in meanwhile.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from engagements.models import TodayVisit

VISIT_GAP = datetime.timedelta(minutes=30)


@transaction.atomic
def today_visit_record(*, user: User, now: datetime.datetime | None = None) -> datetime.datetime | None:
    """Note that ``user`` opened Today ``now``; returns where "since your last visit" starts (None the first time).

    Two queries on every visit, the first one included (a read, then one
    insert-or-update), so that Today costs the same whatever came before.
    Two requests at once write the same values: the last one wins, harmlessly.
    """
    now = now or timezone.now()
    visit = TodayVisit.objects.filter(user=user).first()
    if visit is None:
        previous = None
    elif now - visit.last_at >= VISIT_GAP:
        previous = visit.last_at
    else:
        previous = visit.previous_at
    TodayVisit.objects.bulk_create(
        [TodayVisit(user=user, previous_at=previous, last_at=now)],
        update_conflicts=True,
        unique_fields=["user"],
        update_fields=["previous_at", "last_at"],
    )
    return previous
