"""A return's timeline, read from its history (django-simple-history): what happened, when, by
whom, in the words of the page's language."""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext

from ..models import COUNT_FIELDS, AnnualReturn
from ..rules import label

STATUS_EVENTS = {
    AnnualReturn.Status.SUBMITTED: lambda: gettext("Submitted to the reviewers"),
    AnnualReturn.Status.RETURNED: lambda: gettext("Returned to the officials"),
    AnnualReturn.Status.ACCEPTED: lambda: gettext("Accepted"),
    AnnualReturn.Status.DRAFT: lambda: gettext("Back to draft"),
}


@dataclass
class TimelineEvent:
    at: datetime.datetime
    by: object
    what: str
    changes: list[str] = field(default_factory=list)
    reason: str = ""
    """The reason a reviewer gave for returning, or why a locked year was changed."""


def return_timeline(annual_return: AnnualReturn) -> list[TimelineEvent]:
    """Each history row of the return as an event, oldest first: created, figures changed
    (each from what to what), submitted, returned with the reason, accepted, changed under an
    exception to the year's lock. One query."""
    events, before = [], None
    for record in annual_return.history.select_related("history_user").order_by(
        "history_date", "history_id"
    ):
        if before is None:
            what = gettext("Created")
        elif record.status != before.status:
            what = STATUS_EVENTS[record.status]()
        else:
            what = gettext("Figures changed")
        changes = [
            gettext("%(field)s: %(before)s → %(after)s")
            % {
                "field": label(name),
                "before": getattr(before, name),
                "after": getattr(record, name),
            }
            for name in COUNT_FIELDS
            if before is not None and getattr(before, name) != getattr(record, name)
        ]
        reason = record.history_change_reason or ""
        if record.status == AnnualReturn.Status.RETURNED and (
            before is None or before.status != record.status
        ):
            reason = record.return_reason
        events.append(
            TimelineEvent(record.history_date, record.history_user, what, changes, reason)
        )
        before = record
    return events
