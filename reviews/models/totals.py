"""Totals of a year's figures per zone, kept current in the writer's transaction
(services.totals): what the assessment, the gap counts and the dashboard read instead of
counting every enterprise, organisation and return of the country."""

from django.db import models

from coordination.models import year_field
from enterprises.models import Enterprise, Zone

COUNTED = (
    "enterprises_operating",
    "enterprises_with_party_org",
    "enterprises_with_trade_union",
    "enterprises_with_youth_union",
    "enterprises_with_women_union",
    "union_eligible",
    "eligible_without_party_org",
    "union_without_party_org",
    "eligible_without_union",
    "employees",
    "party_members",
    "union_members",
    "new_party_members",
    "awareness_trainees",
    "party_orgs_founded",
    "party_orgs_dissolved",
    "unions_founded",
    "youth_unions_founded",
    "returns_expected",
    "returns_accepted",
    "returns_not_accepted",
    "returns_missing",
    "union_eligible__unknown",
    "eligible_without_party_org__unknown",
    "eligible_without_union__unknown",
)
"""The counts of a year (selectors.definitions.COUNTS, which a test holds this to)."""


def column(count: str) -> str:
    """The column of a count (a field's name may not hold a double underscore)."""
    return count.replace("__", "_")


class TotalsYear(models.Model):
    """A year whose totals are kept: built once in full (services.totals.ensure_year), then
    kept current by every write."""

    year = year_field(unique=True)

    def __str__(self) -> str:
        return str(self.year)


class YearCounts(models.Model):
    """A year's counts (COUNTED, a column each) of enterprises of one zone, ownership and
    workforce size band: one enterprise's, or a group's totals."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    year = year_field()
    ownership = models.CharField(max_length=16, editable=False)
    band = models.CharField(max_length=16, editable=False)

    class Meta:
        abstract = True


for _count in COUNTED:
    YearCounts.add_to_class(column(_count), models.BigIntegerField(default=0))


class EnterpriseCounts(YearCounts):
    """A year's counts of one enterprise (each 0 or 1, or for a sum its return's figure): what a
    zone's FigureTotals are summed from, so that a write recounts only the enterprises it
    changed."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    """Not deleted with its enterprise: the refresh after the delete takes it off the totals."""

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "enterprise"], name="enterprise_counts_unique")
        ]
        indexes = [models.Index(fields=["year", "zone"], name="enterprise_counts_zone")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year}"


class FigureTotals(YearCounts):
    """A year's counts of the enterprises of one zone, ownership and workforce size band, as
    selectors.figures.year_groups counts them (returns accepted by now)."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year", "zone", "ownership", "band"], name="figure_totals_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.zone_id} {self.year} {self.ownership} {self.band}"


class RatingTotals(models.Model):
    """How many organisations of one kind in one zone got each rating for a year."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    year = year_field()
    kind = models.CharField(max_length=32, editable=False)
    rating = models.CharField(max_length=16, editable=False)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year", "zone", "kind", "rating"], name="rating_totals_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.zone_id} {self.year} {self.kind} {self.rating}: {self.count}"
