"""The yearly figures the enterprise pages show, read from the annual returns: what this app
gives enterprises.year_figures (registered in reviews.apps). The list's filters on them use the
assessment's own definitions, so that a figure opens exactly the enterprises it counts."""

from collections.abc import Iterable, Mapping

from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coordination.cache import cached
from enterprises.models import Enterprise, Zone
from enterprises.selectors import scope_covers, scope_key
from enterprises.year_figures import MISSING, YearFigures

from ..models import COUNT_FIELDS, AnnualReturn
from .definitions import FIGURES, Counting, figure_condition, for_year
from .figures import NO_RETURN, NO_RETURN_LABEL, SIZE_BANDS, size_band_condition
from .returns import visible_returns, with_year_return

REFERENCE_FIGURES = (
    "employees",
    "female_employees",
    "party_members",
    "new_party_members",
    "union_members",
    "youth_members",
    "women_members",
)
"""The figures of the import template's reference sheet."""
PREVIEW = "submitted"
"""The value of the list's `preview` parameter that also counts submitted returns."""


class AnnualReturnFigures(YearFigures):
    def statuses(self) -> list[tuple[str, str]]:
        return [(MISSING, _("Missing")), *AnnualReturn.Status.choices]

    def size_bands(self) -> list[tuple[str, str]]:
        return [
            *((key, band.label) for key, band in SIZE_BANDS.items()),
            (NO_RETURN, NO_RETURN_LABEL),
        ]

    def figures(self) -> list[tuple[str, str]]:
        return [(key, figure.label) for key, figure in FIGURES.items()]

    def with_year(self, enterprises: QuerySet[Enterprise], year: int) -> QuerySet[Enterprise]:
        return with_year_return(enterprises, year)

    def narrow(
        self, enterprises: QuerySet[Enterprise], values: Mapping, *, year: int
    ) -> QuerySet[Enterprise]:
        """The size band and the minimum of party members read the year's counted return, as
        the assessment does; the status, any return of the year."""
        counting = Counting(year, values.get("cut_off"), values.get("preview") == PREVIEW)
        condition = Q()
        status = values.get("return_status")
        if status:
            condition &= (
                Q(any_return__isnull=True) if status == MISSING else Q(any_return__status=status)
            )
        if values.get("size_band"):
            condition &= size_band_condition(values["size_band"])
        if values.get("min_party_members") is not None:
            condition &= Q(counted_return__party_members__gte=values["min_party_members"])
        if values.get("figure"):
            condition &= figure_condition(values["figure"], counting)
        return for_year(enterprises, counting).filter(condition)

    def latest_year(self, user) -> int:
        """A year's returns are filed early the next year, so the latest year with returns is
        the one the list opens on; else this year."""
        this_year = timezone.localdate().year

        def latest() -> int | None:
            returns = visible_returns(user).filter(year__lte=this_year)
            return returns.aggregate(latest=Max("year"))["latest"]

        key = f"latest-return-year:{scope_key(user)}:{this_year}"
        return cached(key, latest, covering=scope_covers(user)) or this_year

    def of_enterprise(self, enterprise: Enterprise) -> list[AnnualReturn]:
        return list(enterprise.returns.order_by("-year"))

    def figures_of(self, record: AnnualReturn) -> Mapping:
        return {"year": record.year, **{name: getattr(record, name) for name in COUNT_FIELDS}}

    def reference_sheet(self, *, zone: Zone, year: int) -> tuple[list[str], Iterable[list]]:
        header = ["tax_code", "name", "status", *REFERENCE_FIGURES]
        rows = (
            AnnualReturn.objects.filter(enterprise__zone=zone, year=year)
            .order_by("enterprise__name")
            .values_list("enterprise__tax_code", "enterprise__name", "status", *REFERENCE_FIGURES)
        )
        return header, rows
