"""Writes of the reporting cycle: the year's lock and its exceptions, the data-quality flags
raised on submission and closed by reviewers, and the bulk review of the returns queue."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coordination.roles import is_reviewer
from enterprises.models import Enterprise, Organisation, Zone
from enterprises.selectors import operated_during, organisations_active_on, year_end

from ..models import COUNT_FIELDS, AnnualReturn, LockException, QualityFlag
from ..rules import quality_findings
from ..selectors.calendar import year_lock
from ..selectors.cycle import ACCEPTED, CHANGED, HELD, RETURNED, BulkResult
from ..signals import returns_changed
from .errors import ReturnNotAllowed, YearLocked


def lock_change_reason(*, enterprise: Enterprise, year: int) -> str:
    """Refuses a change to a locked year's return (YearLocked), unless an exception opens it:
    then the reason the history records with the change ("" while the year is open)."""
    lock = year_lock(enterprise=enterprise, year=year)
    if not lock.locked:
        return ""
    if lock.exception is None:
        raise YearLocked(
            gettext(
                "The returns of %(year)s locked after %(day)s: they can no longer be created "
                "or changed. A reviewer can open an exception."
            )
            % {"year": year, "day": lock.calendar.locks_on.strftime("%d/%m/%Y")}
        )
    return gettext("Changed after the year locked, under an exception: %(reason)s") % {
        "reason": lock.exception.reason
    }


def _require_reviewer(user) -> None:
    if not is_reviewer(user):
        raise ReturnNotAllowed(_("Only a reviewer may do this."))


@transaction.atomic
def open_lock_exception(
    *,
    user,
    year: int,
    until: datetime.date,
    reason: str,
    enterprise: Enterprise | None = None,
    zone: Zone | None = None,
) -> LockException:
    """A reviewer opens a locked year again for an enterprise or a zone until a day."""
    _require_reviewer(user)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the year is opened again.")})
    exception = LockException(
        year=year,
        enterprise=enterprise,
        zone=zone,
        until=until,
        reason=reason.strip(),
        created_by=user,
    )
    exception.full_clean()
    exception.save()
    return exception


# -- Data-quality flags -------------------------------------------------------------------------


def raise_quality_flags(annual_return: AnnualReturn) -> list[QualityFlag]:
    """Checks the return by the data-quality rules (reviews.rules.QUALITY_RULES) as it is
    submitted: the open flags it had are replaced by what its figures raise now."""
    enterprise = annual_return.enterprise
    year = annual_return.year
    last = (
        AnnualReturn.objects.filter(enterprise=enterprise, year=year - 1)
        .values(*COUNT_FIELDS)
        .first()
    )
    has_party_org = Organisation.objects.filter(
        organisations_active_on(year_end(year)), enterprise=enterprise, kind="party"
    ).exists()
    operating = Enterprise.objects.filter(operated_during(year), pk=enterprise.pk).exists()
    findings = quality_findings(
        figures={name: getattr(annual_return, name) for name in COUNT_FIELDS},
        last=last,
        has_party_org=has_party_org,
        operating=operating,
    )
    annual_return.quality_flags.filter(closed_at__isnull=True).delete()
    flags = [
        QualityFlag(
            annual_return=annual_return,
            rule=f"{code}:{figures['field']}" if "field" in figures else code,
            figures=figures,
        )
        for code, figures in findings
    ]
    return QualityFlag.objects.bulk_create(flags)


@transaction.atomic
def close_quality_flag(*, user, flag: QualityFlag, note: str) -> QualityFlag:
    """A reviewer closes a flag with a note saying why the figure stands (or was corrected)."""
    _require_reviewer(user)
    if not note.strip():
        raise ValidationError({"note": _("Say why the flag is closed.")})
    if flag.closed_at is not None:
        raise ReturnNotAllowed(_("This flag is already closed."))
    flag.closed_by = user
    flag.closed_at = timezone.now()
    flag.note = note.strip()
    flag.full_clean()
    flag.save()
    return flag


def open_flags() -> Exists:
    """On AnnualReturn: it has a data-quality flag nobody closed."""
    return Exists(QualityFlag.objects.filter(annual_return=OuterRef("pk"), closed_at__isnull=True))


# -- Bulk review --------------------------------------------------------------------------------


@transaction.atomic
def bulk_review(
    *,
    user,
    returns: QuerySet[AnnualReturn],
    seen: dict[int, int] | None = None,
    seen_at: datetime.datetime | None = None,
    accept: bool,
    reason: str = "",
    accept_flagged: bool = False,
) -> list[BulkResult]:
    """Accepts the submitted returns among `returns` (the caller scoped them), or returns them
    with one reason, as if done one by one: each is stamped, its version moves on and it gets
    its own history row. A return is left alone if it changed after the reviewer saw it (its
    version in `seen` by pk, or any save after `seen_at` for "all matching the filters"), or,
    when accepting, if it has open data-quality flags, unless `accept_flagged`. A few set-based
    queries, however many returns."""
    _require_reviewer(user)
    reason = reason.strip()
    if not accept and not reason:
        raise ValidationError({"return_reason": _("Say why the returns go back.")})
    rows = returns.select_for_update(of=("self",)).order_by()
    if seen is not None:
        rows = rows.filter(pk__in=list(seen))
    else:  # all that match the filters: the submitted ones among them
        rows = rows.filter(status=AnnualReturn.Status.SUBMITTED)
    if seen_at is not None:
        later = AnnualReturn.history.filter(id=OuterRef("pk"), history_date__gt=seen_at)
        rows = rows.annotate(changed_since=Exists(later))
    rows = rows.annotate(flagged=open_flags())
    results, chosen = [], []
    for row in rows.values(
        "pk", "version", "status", "flagged", *(("changed_since",) if seen_at is not None else ())
    ):
        changed = row["status"] != AnnualReturn.Status.SUBMITTED or row.get("changed_since")
        if seen is not None and seen[row["pk"]] != row["version"]:
            changed = True
        if changed:
            results.append(BulkResult(row["pk"], CHANGED))
        elif accept and row["flagged"] and not accept_flagged:
            results.append(BulkResult(row["pk"], HELD))
        else:
            chosen.append(row["pk"])
            results.append(BulkResult(row["pk"], ACCEPTED if accept else RETURNED))
    if chosen:
        _stamp(user=user, pks=chosen, accept=accept, reason=reason)
    return sorted(results, key=lambda result: result.annual_return_id)


def _stamp(*, user, pks: list[int], accept: bool, reason: str) -> None:
    now = timezone.now()
    changes = {"reviewed_by": user, "reviewed_at": now, "version": F("version") + 1}
    if accept:
        changes |= {"status": AnnualReturn.Status.ACCEPTED, "accepted_at": now, "return_reason": ""}
    else:
        changes |= {
            "status": AnnualReturn.Status.RETURNED,
            "accepted_at": None,
            "return_reason": reason,
        }
    AnnualReturn.objects.filter(pk__in=pks).update(**changes)
    returns_changed(pks)
    # update() writes no history and sends no signal: both are written here, for every row.
    AnnualReturn.history.bulk_history_create(
        list(AnnualReturn.objects.filter(pk__in=pks)),
        update=True,
        default_user=user,
        default_date=now,
    )
