"""The report's tables as rows of text, built once from a review's context (the print view's)
in the active language and number format: what the Word copy lays out. The texts and the
shape switch are those of the print view's partials (partials/indicator_table.html,
partials/breakdown_table.html, reviews/report/key_figures.html, programme_results.html)."""

import re
from dataclasses import dataclass, field

from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from ..selectors.figures import BREAKDOWN_COUNTS
from ..selectors.programme_results import zone_label
from ..templatetags.assessment_tags import (
    figure_definition,
    headline_figures,
    indicator_status_label,
    metric_label,
    signed_number,
    status_rule,
)

DASH = "—"


@dataclass
class Cell:
    text: str
    number: bool = False  # right-aligned
    note: str = ""  # a second, smaller line (an indicator's definition)


@dataclass
class Table:
    key: str
    header: list[str]
    rows: list[list[Cell]]
    widths: list[float]  # relative column widths
    heading: str = ""  # the heading printed above it
    notes: list[str] = field(default_factory=list)  # lines printed under it


def template_message(text: str) -> str:
    """A `{% translate %}` message of the templates in Python: the templates' catalogue keys
    double a percent sign ("%% of target")."""
    return _(text.replace("%", "%%")).replace("%%", "%")


def value_text(value) -> str:
    """An indicator's value: up to two decimals, grouped, or a dash."""
    return DASH if value is None else floatformat(value, "-2g")


def pct_text(value) -> str:
    return DASH if value is None else f"{floatformat(value, 2)} %"


def share_text(share: dict | None) -> str:
    """`70 / 91 = 76.92 %`, as partials/share.html writes it."""
    if not share:
        return DASH
    return (
        f"{intcomma(share['numerator'])} / {intcomma(share['denominator'])} = "
        f"{pct_text(share['pct'])}"
    )


def plain_text(html: str) -> str:
    """A rendered partial's text, for a paragraph of the Word copy."""
    return re.sub(r"\s+", " ", strip_tags(html)).strip()


def counting_note(figures: dict) -> str:
    """The note above the figures: what they count (shape 2) or the returns they come from."""
    template = "reviews/_counting_note.html" if figures.get("shape") else None
    template = template or "reviews/report/returns_note.html"
    return plain_text(render_to_string(template, {"figures": figures, "linked": False}))


def key_figures_table(figures: dict) -> Table:
    rows = [
        [
            Cell(metric_label(row["metric"])),
            Cell(intcomma(row["value"]), number=True),
            Cell(share_text(row["share"]) if row["share"] else "", number=True),
        ]
        for row in headline_figures(figures["metrics"])
    ]
    header = [_("Figure"), pgettext("how many", "Number"), _("Share")]
    return Table("key_figures", header, rows, [55, 15, 30])


def _indicator_status(indicator: dict, figures: dict) -> str:
    if indicator.get("status"):
        return indicator_status_label(indicator["status"])
    if figures.get("baseline_year"):
        return _("Baseline year")
    return _("No target of its own")


def indicator_table(figures: dict) -> Table:
    """The indicators in the shape their figures were made in, as the print view switches."""
    year, end_year = figures["year"], figures["programme"]["end_year"]
    target = _("Target %(year)s")
    header = [
        _("Indicator"),
        _("Baseline"),
        target % {"year": year},
        target % {"year": end_year},
        _("Actual %(year)s") % {"year": year},
    ]
    heading = _("Indicators against their baselines and targets")
    rows = []
    if not figures.get("shape"):
        header += [
            pgettext("difference between two values", "Change"),
            template_message("% of target"),
            _("Status"),
        ]
        for indicator in figures["indicators"]:
            rows.append(
                [
                    Cell(f"{indicator['code']} {indicator['name']}"),
                    *_indicator_values(indicator),
                    Cell(value_text(indicator["change"]), number=True),
                    Cell(pct_text(indicator["pct_of_target"]), number=True),
                    Cell(indicator_status_label(indicator["status"])),
                ]
            )
        return Table("indicators", header, rows, [24, 11, 9, 9, 9, 9, 11, 18], heading)
    achieved = _("Achieved, %% of the %(year)s target")
    header += [
        achieved % {"year": year},
        achieved % {"year": end_year},
        _("Change from the baseline"),
        _("Figures known"),
        _("Status"),
    ]
    for indicator in figures["indicators"]:
        change = indicator["change"]
        rows.append(
            [
                Cell(
                    f"{indicator['code']} {indicator['name']}",
                    note=figure_definition(indicator["metric"]),
                ),
                *_indicator_values(indicator),
                Cell(pct_text(indicator["achieved_year"]), number=True),
                Cell(pct_text(indicator["achieved_end"]), number=True),
                Cell(DASH if change is None else signed_number(change), number=True),
                Cell(share_text(indicator["completeness"]), number=True),
                Cell(_indicator_status(indicator, figures)),
            ]
        )
    widths = [20, 9, 7, 7, 8, 8, 8, 8, 13, 12]
    return Table("indicators", header, rows, widths, heading, [status_rule(figures)])


def _indicator_values(indicator: dict) -> list[Cell]:
    """Baseline (with its year), the year's and the end target, the actual."""
    return [
        Cell(
            f"{value_text(indicator['baseline_value'])} ({indicator['baseline_year']})",
            number=True,
        ),
        Cell(value_text(indicator["target_year"]), number=True),
        Cell(value_text(indicator["target_end"]), number=True),
        Cell(value_text(indicator["actual"]), number=True),
    ]


BREAKDOWN_DIMENSIONS = {
    "zone": lambda: _("Zone"),
    "ownership": lambda: _("Ownership"),
    "size_band": lambda: _("Workforce"),
}


def breakdown_table(rows: list[dict], dimension: str) -> Table:
    header = [
        BREAKDOWN_DIMENSIONS[dimension](),
        _("Enterprises"),
        _("Employees"),
        _("With a party organisation"),
        _("Party members"),
        _("With a trade union"),
        _("Union members"),
        _("Party organisation coverage"),
        _("Trade union coverage"),
    ]
    cells = [
        [
            Cell(_(row["label"])),
            *(Cell(intcomma(row[name]), number=True) for name in BREAKDOWN_COUNTS),
            Cell(share_text(row["party_coverage"]), number=True),
            Cell(share_text(row["union_coverage"]), number=True),
        ]
        for row in rows
    ]
    return Table(f"breakdown_{dimension}", header, cells, [13, 7.5, 10, 7.5, 8.5, 7.5, 10, 18, 18])


def figures_tables(context: dict) -> list[Table]:
    """The tables of part I.3 (figures of the year), in the print view's order."""
    figures = context["figures"]
    breakdowns = figures["breakdowns"]
    zones = breakdown_table(context["report_zones"], "zone")
    zones.heading = _("Enterprises and their organisations by zone, ownership and workforce")
    total = len(breakdowns["zone"])
    if len(context["report_zones"]) < total:
        shown = len(context["report_zones"]) - 1
        zones.notes.append(
            ngettext(
                "The zone with the most operating enterprises is listed; the last row adds up "
                "the others. All %(total)s zones are in the review's zone table (CSV or XLSX).",
                "The %(shown)s zones with the most operating enterprises are listed; the last "
                "row adds up the others. All %(total)s zones are in the review's zone table "
                "(CSV or XLSX).",
                shown,
            )
            % {"total": total, "shown": shown}
        )
    return [
        key_figures_table(figures),
        indicator_table(figures),
        zones,
        breakdown_table(breakdowns["ownership"], "ownership"),
        breakdown_table(breakdowns["size_band"], "size_band"),
    ]


def programme_results_tables(results: dict, programme: dict) -> list[Table]:
    """A final review's results over the programme: the indicators and the zones year by year."""
    end_year = programme["end_year"]
    header = [
        _("Indicator"),
        _("Baseline"),
        *(_("Actual %(year)s") % {"year": year} for year in results["years"]),
        _("Target %(year)s") % {"year": end_year},
        _("Achieved, %% of the %(year)s target") % {"year": end_year},
        _("Status"),
    ]
    rows = []
    for row in results["indicators"]:
        years = []
        for cell in row["years"]:
            completeness = cell.get("completeness") or {}
            known = ""
            if completeness.get("pct") is not None:
                known = _("%(pct)s %% known") % {"pct": floatformat(completeness["pct"], 2)}
            years.append(Cell(value_text(cell["actual"]), number=True, note=known))
        rows.append(
            [
                Cell(f"{row['code']} {row['name']}"),
                Cell(f"{value_text(row['baseline_value'])} ({row['baseline_year']})", number=True),
                *years,
                Cell(value_text(row["target_end"]), number=True),
                Cell(pct_text(row["achieved_end"]), number=True),
                Cell(indicator_status_label(row["status"]) if row["status"] else DASH),
            ]
        )
    returns = "; ".join(
        f"{item['year']}: {share_text(item['completeness'])}" for item in results["returns"]
    )
    indicators = Table(
        "programme_indicators",
        header,
        rows,
        [24, 10, *(9 for _year in results["years"]), 9, 11, 14],
        _("Indicators year by year"),
        [f"{_('Returns accepted of those expected:')} {returns}."],
    )
    zone_rows = [
        [
            Cell(zone_label(zone) if index == 0 else ""),
            Cell(str(cell["year"]), number=True),
            Cell(intcomma(cell["enterprises_operating"]), number=True),
            Cell(share_text(cell["party_coverage"]), number=True),
            Cell(share_text(cell["union_coverage"]), number=True),
            Cell(intcomma(cell["party_members"]), number=True),
            Cell(intcomma(cell["union_members"]), number=True),
        ]
        for zone in results["zones"]
        for index, cell in enumerate(zone["years"])
    ]
    zones = Table(
        "programme_zones",
        [
            _("Zone"),
            _("Year"),
            _("Operating enterprises"),
            _("Party organisation coverage"),
            _("Trade union coverage"),
            _("Party members"),
            _("Union members"),
        ],
        zone_rows,
        [18, 8, 12, 20, 20, 11, 11],
        _("Zones year by year"),
    )
    return [indicators, zones]
