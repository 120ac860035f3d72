"""The reviews app's downloads as tables (enterprises.exports.Table, streamed as CSV or XLSX by
export_response): the gap lists, and a review's table by zone."""

from collections.abc import Iterator
from decimal import Decimal

from django.utils.translation import gettext as _

from enterprises.exports import Column, Table, code_column, labels
from enterprises.models import Enterprise

from .selectors.figures import BREAKDOWN_COUNTS
from .selectors.gaps import GAP_LABELS, gap_enterprises


def zone_table(figures: dict, *, review) -> Table:
    """The assessment's table by zone (live or frozen), a row per zone, with the page's
    headings; shares as numbers a spreadsheet can sum."""
    headers = {
        "enterprises": _("Enterprises"),
        "employees": _("Employees"),
        "with_party_org": _("With a party organisation"),
        "party_members": _("Party members"),
        "with_trade_union": _("With a trade union"),
        "union_members": _("Union members"),
    }

    def rows() -> Iterator[list]:
        for row in figures["breakdowns"]["zone"]:
            yield [
                row["label"],
                *(row[name] for name in BREAKDOWN_COUNTS),
                *(_pct_value(row[name]["pct"]) for name in ("party_coverage", "union_coverage")),
            ]

    return Table(
        name=f"review-{review.pk}-zones",
        title=_("Figures by zone"),
        columns=[
            Column(_("Zone"), 30),
            *(Column(headers[name], 16) for name in BREAKDOWN_COUNTS),
            Column(_("Party organisation coverage (%)"), 16),
            Column(_("Trade union coverage (%)"), 16),
        ],
        rows=rows(),
        filters=str(review),
    )


def _pct_value(pct: str | None) -> Decimal | None:
    """A share's percentage as a number a spreadsheet can sum (None: nothing to divide by)."""
    return None if pct is None else Decimal(pct)


def gap_table(*, user, year: int) -> Table:
    """Every enterprise of the three gap lists, a row each (the gap by its label and its code),
    streamed in chunks."""
    gaps = labels(GAP_LABELS.items())
    ownership = labels(Enterprise.Ownership.choices)

    def rows() -> Iterator[list]:
        for gap in GAP_LABELS:
            enterprises = gap_enterprises(user=user, year=year, gap=gap)
            for enterprise in enterprises.iterator(chunk_size=2000):
                yield [
                    gaps[gap],
                    gap,
                    enterprise.zone.name,
                    enterprise.tax_code,
                    enterprise.name,
                    ownership.get(enterprise.ownership),
                    enterprise.employees,
                    enterprise.party_members,
                    enterprise.union_members,
                ]

    return Table(
        name=f"gaps-{year}",
        title=_("Where organisations could be founded"),
        columns=[
            Column(_("Gap"), 40),
            code_column("gap"),
            Column(_("Zone"), 24),
            Column(_("Tax code"), 16),
            Column(_("Name"), 40),
            Column(_("Ownership"), 22),
            Column(_("Employees")),
            Column(_("Party members")),
            Column(_("Union members")),
        ],
        rows=rows(),
        filters=_("Year: %(year)s") % {"year": year},
    )
