"""The programme that follows an ended one ("Follow with a new programme")."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from coordination.models import ContentArea, Indicator, Programme, ProgrammeBody
from coordination.roles import is_administrator

from ..models import ProgrammeReview
from ..selectors.assessment import assessment


class FollowRefused(Exception):
    """The new programme cannot follow the old one as asked."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def end_year_actuals(*, programme: Programme, user) -> dict[int, Decimal | None]:
    """Each indicator's actual in the programme's last year: the final review's frozen figures
    where it is final (the figures of record), else counted now for the whole province."""
    final = (
        programme.reviews.filter(
            kind=ProgrammeReview.Kind.FINAL,
            status=ProgrammeReview.Status.FINAL,
            as_of_year=programme.end_year,
        )
        .only("frozen_figures")
        .first()
    )
    if final is not None and final.frozen_figures:
        rows = final.frozen_figures["indicators"]
    else:
        rows = assessment(programme=programme, year=programme.end_year, user=user)["indicators"]
    return {row["id"]: None if row["actual"] is None else Decimal(row["actual"]) for row in rows}


@transaction.atomic
def follow_programme(
    *, programme: Programme, user, title: str, start_year: int, end_year: int
) -> Programme:
    """A new programme carrying on `programme`'s work: its bodies as they are when it starts
    (a merged body's successor signs instead), its content areas and indicators copied for
    editing, each indicator's baseline filled from the old programme's last year where that is
    known (marked by `carried_from`). The old programme and its reviews are not touched."""
    if not is_administrator(user):
        raise PermissionDenied
    if start_year <= programme.end_year:
        raise FollowRefused(
            _("The new programme must start after %(year)s, the last year of the one it follows.")
            % {"year": programme.end_year}
        )
    if end_year < start_year:
        raise FollowRefused(_("The end year cannot be before the start year."))
    follower = Programme(
        title=title,
        start_year=start_year,
        end_year=end_year,
        purpose=programme.purpose,
        steering_committee=programme.steering_committee,
        follows=programme,
    )
    follower._history_user = user
    follower.save()
    first_day = datetime.date(start_year, 1, 1)
    for signing in programme.programme_bodies.select_related("body"):
        ProgrammeBody.objects.create(
            programme=follower,
            body=signing.body.as_of(first_day),
            role=signing.role,
            position=signing.position,
        )
    areas = {
        area.pk: ContentArea.objects.create(
            programme=follower,
            position=area.position,
            title=area.title,
            description=area.description,
        )
        for area in programme.content_areas.all()
    }
    actuals = end_year_actuals(programme=programme, user=user)
    for indicator in programme.indicators.all():
        actual = actuals.get(indicator.pk)
        carried = Indicator(
            programme=follower,
            content_area=areas.get(indicator.content_area_id),
            code=indicator.code,
            name=indicator.name,
            metric=indicator.metric,
            direction=indicator.direction,
            baseline_year=programme.end_year if actual is not None else indicator.baseline_year,
            baseline_value=actual if actual is not None else indicator.baseline_value,
            target_value=indicator.target_value,
            carried_from=indicator,
        )
        carried._history_user = user
        carried.save()
    return follower
