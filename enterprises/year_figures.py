"""The extension point through which the enterprise pages show an enterprise's yearly figures.

The figures (employees, members, the return's status) are kept by the reviews app in its annual
returns; reviews builds on this app, so this app never imports it. Instead reviews fills this
one extension point when Django starts (reviews.apps.ReviewsConfig.ready registers its
`YearFigures`), and the enterprise list, page, forms and import read the figures through
`year_figures()`. docs/architecture.md explains the choice."""

import abc
from collections.abc import Iterable, Mapping

from django.db.models import QuerySet

from .models import Enterprise, Zone

MISSING = "missing"
"""The status of a year for which an enterprise has no return."""
FILTERS = ("return_status", "size_band", "min_party_members", "figure", "cut_off", "preview")
"""The enterprise list's filters on the year's figures, which `YearFigures.narrow` applies."""


class YearFigures(abc.ABC):
    """What the enterprise pages need of the yearly figures."""

    @abc.abstractmethod
    def statuses(self) -> list[tuple[str, str]]:
        """The statuses of a year's figures with their labels, MISSING first."""

    @abc.abstractmethod
    def size_bands(self) -> list[tuple[str, str]]:
        """The workforce size bands the list filters by, with their labels."""

    @abc.abstractmethod
    def figures(self) -> list[tuple[str, str]]:
        """The figures the list can open (`figure`), with their labels."""

    @abc.abstractmethod
    def with_year(self, enterprises: QuerySet[Enterprise], year: int) -> QuerySet[Enterprise]:
        """The enterprises annotated with `return_status`, `return_employees` and
        `return_party_members` of the year (the list's columns)."""

    @abc.abstractmethod
    def narrow(
        self, enterprises: QuerySet[Enterprise], values: Mapping, *, year: int
    ) -> QuerySet[Enterprise]:
        """The enterprises that the list's filters on the year's figures select: `values` holds
        those set, by name (FILTERS)."""

    @abc.abstractmethod
    def latest_year(self, user) -> int:
        """The latest year, up to this one, with figures of an enterprise the user sees."""

    @abc.abstractmethod
    def of_enterprise(self, enterprise: Enterprise) -> list:
        """The enterprise's yearly returns, latest first: each has `year`, `status`,
        `get_status_display` and the counts."""

    @abc.abstractmethod
    def figures_of(self, record) -> Mapping:
        """The counts of one of `of_enterprise`'s returns by field name, with its `year`."""

    def latest_figures(self, enterprise: Enterprise) -> Mapping | None:
        """The figures of the enterprise's latest return; None before its first."""
        records = self.of_enterprise(enterprise)
        return self.figures_of(records[0]) if records else None

    @abc.abstractmethod
    def reference_sheet(self, *, zone: Zone, year: int) -> tuple[list[str], Iterable[list]]:
        """The header and rows of the year's figures of the zone's enterprises, for the import
        template's reference sheet."""


_registered: YearFigures | None = None


def register(figures: YearFigures) -> None:
    global _registered
    _registered = figures


def year_figures() -> YearFigures:
    if _registered is None:
        raise LookupError(
            "No app has registered the yearly figures (see enterprises.year_figures)."
        )
    return _registered
