"""The reviews app's downloads as header and rows, for enterprises.exports to stream as CSV or
XLSX: the gap lists, a review's table by zone, and the completeness of a year's returns."""

from collections.abc import Iterator
from decimal import Decimal

from .selectors.cycle import COLUMNS
from .selectors.figures import BREAKDOWN_COUNTS
from .selectors.gaps import GAP_LABELS, gap_enterprises

ZONE_EXPORT_HEADER = (
    "zone",
    *BREAKDOWN_COUNTS,
    "party_coverage_pct",
    "union_coverage_pct",
)


def zone_export_rows(figures: dict) -> Iterator[list]:
    """The assessment's table by zone (live or frozen), a row per zone."""
    for row in figures["breakdowns"]["zone"]:
        yield [
            row["label"],
            *(row[name] for name in BREAKDOWN_COUNTS),
            *(_pct_value(row[name]["pct"]) for name in ("party_coverage", "union_coverage")),
        ]


def _pct_value(pct: str | None) -> Decimal | None:
    """A share's percentage as a number a spreadsheet can sum (None: nothing to divide by)."""
    return None if pct is None else Decimal(pct)


GAP_EXPORT_HEADER = (
    "gap",
    "zone",
    "tax_code",
    "name",
    "ownership",
    "employees",
    "party_members",
    "union_members",
)


def gap_export_rows(*, user, year: int) -> Iterator[list]:
    """Every enterprise of the three gap lists, a row each, streamed in chunks."""
    for gap in GAP_LABELS:
        for enterprise in gap_enterprises(user=user, year=year, gap=gap).iterator(chunk_size=2000):
            yield [
                gap,
                enterprise.zone.name,
                enterprise.tax_code,
                enterprise.name,
                enterprise.ownership,
                enterprise.employees,
                enterprise.party_members,
                enterprise.union_members,
            ]


COMPLETENESS_HEADER = ("by", "zone_or_official", *COLUMNS)


def completeness_rows(figures: dict) -> Iterator[list]:
    """selectors.cycle.completeness as rows: each zone, each official, and the total."""
    for zone in figures["zones"]:
        yield ["zone", zone["name"], *(zone["counts"][name] for name in COLUMNS)]
    for row in figures["officials"]:
        official = row["official"]
        name = official.get_full_name() or official.get_username()
        yield ["official", name, *(row["counts"][column] for column in COLUMNS)]
    yield ["total", "", *(figures["total"][name] for name in COLUMNS)]
