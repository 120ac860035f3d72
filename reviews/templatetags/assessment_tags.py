"""Links from the assessment's figures to the enterprises behind them, and its charts drawn on
the server as inline SVG (no JavaScript: they print and go into the PDF)."""

import datetime
from decimal import Decimal
from functools import cache
from urllib.parse import quote_plus, urlencode

from django import template
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import Choices
from django.template.defaultfilters import floatformat
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html

from coordination.cache import Covers, cached_rendering
from coordination.models import Indicator, Task
from reviews.selectors.assessment import SERIES_FIGURES
from reviews.selectors.definitions import FIGURES, SHARE_DEFINITIONS
from reviews.selectors.figures import BREAKDOWN_FIGURES
from reviews.selectors.indicators import STATUS_RULE, IndicatorStatus, complete_share
from reviews.selectors.programme_results import zone_label

register = template.Library()

BREAKDOWN_PARAMETERS = {"zone": "zone", "ownership": "ownership", "size_band": "size_band"}
LIST_FIGURES = {**{key: key for key in FIGURES}, **BREAKDOWN_FIGURES}
"""The figure of the enterprise list (`?figure=`) that each figure of a page opens: the
assessment's figures by their own key, a breakdown's counts by their column."""

# Coverage bars: a label column, then the bar area (100 %) and room for the value.
BAR_LABEL_WIDTH = 190
BAR_AREA_WIDTH = 400
BAR_HEIGHT = 16
BAR_ROW_HEIGHT = 2 * BAR_HEIGHT + 14
BAR_TOP = 34
COVERAGE_COLOURS = {"party": "#a4161a", "union": "#0b5cad"}

# Series: one small bar chart per figure, each on its own scale.
SERIES_WIDTH = 240
SERIES_PLOT_TOP = 22
SERIES_PLOT_HEIGHT = 96
SERIES_PLOT_LEFT = 8
SERIES_PLOT_WIDTH = SERIES_WIDTH - 2 * SERIES_PLOT_LEFT


@cache
def _reverse(name: str, urlconf: str, prefix: str) -> str:
    return reverse(name, urlconf=urlconf)


def _enterprise_list_path() -> str:
    """reverse() once per URL configuration and script prefix, not once per figure: a page
    links thousands of figures."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _reverse("enterprise_list", urlconf, get_script_prefix())


def counting_query(figures) -> str:
    """The list's parameters for what the figures count besides the year (a cut-off date, the
    preview of submitted returns), from an assessment's `counting`."""
    counting = figures.get("counting") if isinstance(figures, dict) else None
    if not counting:
        return ""
    query = {}
    if counting.get("cut_off"):
        query["cut_off"] = counting["cut_off"]
    if counting.get("preview"):
        query["preview"] = "submitted"
    return f"&{urlencode(query)}" if query else ""


def list_url(year, figure: str, dimension: str = "", key="", counting: str = "") -> str:
    """The enterprise list showing the enterprises behind a figure of the year (and of a
    breakdown row), or "" for a figure no list shows."""
    figure = LIST_FIGURES.get(figure)
    if figure is None:
        return ""
    url = f"{_enterprise_list_path()}?year={quote_plus(str(year))}&figure={figure}{counting}"
    if dimension:
        url += f"&{BREAKDOWN_PARAMETERS[dimension]}={quote_plus(str(key))}"
    return url


@register.simple_tag(takes_context=True)
def enterprise_list_url(context, year, figure: str, dimension: str = "", key="") -> str:
    """list_url, counting as the page's figures do."""
    return list_url(year, figure, dimension, key, counting_query(context.get("figures")))


class CachedFragmentNode(template.Node):
    def __init__(self, nodelist: template.NodeList, keys: list, covering):
        self.nodelist = nodelist
        self.keys = keys
        self.covering = covering

    def render(self, context) -> str:
        keys = [str(key.resolve(context, ignore_failures=True) or "") for key in self.keys]
        covering = self.covering.resolve(context, ignore_failures=True)
        if not all(keys) or not isinstance(covering, Covers):
            return self.nodelist.render(context)
        key = ":".join(["fragment", *keys])
        return cached_rendering(key, lambda: self.nodelist.render(context), covering=covering)


@register.tag
def cached_fragment(parser, token) -> CachedFragmentNode:
    """`{% cached_fragment "name" key… covering %}…{% endcached_fragment %}`: the enclosed HTML
    (no form in it), cached per language and keys until a write in what `covering` (a
    coordination.cache.Covers) names. The keys must name everything the fragment shows (e.g.
    the cache key of its figures); with one of them empty or missing, or no covering, it is
    rendered afresh rather than shared by mistake. Worth it where rendering costs more than
    the figures: the dashboard's hundreds of links."""
    bits = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    if len(bits) < 3:
        raise template.TemplateSyntaxError("cached_fragment needs a name, keys and a covering")
    nodelist = parser.parse(("endcached_fragment",))
    parser.delete_first_token()
    return CachedFragmentNode(nodelist, bits[:-1], bits[-1])


register.filter("zone_label", zone_label)


def _label(choices: type[Choices], code: str) -> str:
    """The code's label in the active language; a code the choices do not hold, as it is (frozen
    figures keep codes)."""
    return dict(choices.choices).get(code, code)


@register.filter
def indicator_status_label(status: str) -> str:
    return _label(IndicatorStatus, status)


@register.filter
def parse_iso_date(value: str):
    """A date the figures hold as text (JSON) as a date, for the date filter."""
    return datetime.date.fromisoformat(value) if value else None


@register.filter
def signed_number(value) -> str:
    """A change as reports write it: +3, −102 (with a true minus sign), 0; in the active
    language's number format."""
    number = Decimal(value)
    text = floatformat(abs(number), "-2g")
    if number > 0:
        return f"+{text}"
    return f"\u2212{text}" if number < 0 else text


@register.filter
def figure_definition(metric: str) -> str:
    """What a figure or an indicator's metric counts, in the active language."""
    if metric in SHARE_DEFINITIONS:
        return SHARE_DEFINITIONS[metric]
    figure = FIGURES.get(metric)
    if figure is not None:
        return figure.definition
    if metric == Indicator.Metric.MANUAL:
        return Indicator.Metric.MANUAL.label
    return ""


@register.simple_tag
def status_rule(figures) -> str:
    """The rule the statuses follow, with the completeness share the figures were judged by."""
    counting = figures.get("counting") or {}
    share = counting.get("complete_share") or complete_share()
    return STATUS_RULE % {"share": floatformat(share, "-2")}


@register.filter
def task_status_label(status: str) -> str:
    return _label(Task.Status, status)


@register.filter
def metric_label(metric: str) -> str:
    return _label(Indicator.Metric, metric)


def _bar(share: dict, *, y: int, url: str) -> dict:
    pct = share["pct"]
    width = 0 if pct is None else round(float(pct) / 100 * BAR_AREA_WIDTH, 1)
    return {
        "share": share,
        "y": y,
        "width": width,
        "text_x": BAR_LABEL_WIDTH + width + 6,
        "text_y": y + BAR_HEIGHT - 4,
        "url": url,
    }


@register.inclusion_tag("partials/charts/coverage_bars.html", takes_context=True)
def coverage_chart(context, rows: list[dict], year: int, linked: bool = True) -> dict:
    """Party-organisation and trade-union coverage of each zone row, as paired horizontal bars
    on a 0–100 % scale; each bar links to the enterprises it counts."""
    counting = counting_query(context.get("figures"))

    def url(figure: str, row: dict) -> str:
        return list_url(year, figure, "zone", row["key"], counting) if linked else ""

    bars = []
    for index, row in enumerate(rows):
        top = BAR_TOP + index * BAR_ROW_HEIGHT
        bars.append(
            {
                "row": row,
                "label_y": top + BAR_HEIGHT + 5,
                "party": _bar(row["party_coverage"], y=top, url=url("with_party_org", row)),
                "union": _bar(
                    row["union_coverage"],
                    y=top + BAR_HEIGHT + 2,
                    url=url("with_trade_union", row),
                ),
            }
        )
    height = BAR_TOP + len(rows) * BAR_ROW_HEIGHT + 20
    return {
        "bars": bars,
        "year": year,
        "width": BAR_LABEL_WIDTH + BAR_AREA_WIDTH + 110,
        "height": height,
        "label_x": BAR_LABEL_WIDTH - 8,
        "area_left": BAR_LABEL_WIDTH,
        "bar_height": BAR_HEIGHT,
        "grid_top": BAR_TOP - 4,
        "grid_bottom": height - 18,
        "tick_y": height - 4,
        "ticks": [
            {"pct": pct, "x": BAR_LABEL_WIDTH + pct * BAR_AREA_WIDTH // 100}
            for pct in range(0, 101, 25)
        ],
        "legend": [
            {"x": BAR_LABEL_WIDTH, "colour": COVERAGE_COLOURS["party"], "key": "party"},
            {"x": BAR_LABEL_WIDTH + 200, "colour": COVERAGE_COLOURS["union"], "key": "union"},
        ],
        "colours": COVERAGE_COLOURS,
    }


def _series_chart(key: str, caption: str, points: list[dict]) -> dict:
    """One small bar chart of `points` ({year, value, label, url}), scaled to its largest
    value; a point without a value (`None`) keeps its slot with a dash and no bar."""
    slot = SERIES_PLOT_WIDTH / max(len(points), 1)
    baseline = SERIES_PLOT_TOP + SERIES_PLOT_HEIGHT
    largest = max((float(p["value"]) for p in points if p["value"] is not None), default=0) or 1
    bars = []
    for index, point in enumerate(points):
        value = float(point["value"] or 0)
        height = round(max(value, 0) / largest * SERIES_PLOT_HEIGHT, 1)
        left = SERIES_PLOT_LEFT + index * slot
        bars.append(
            point
            | {
                "x": round(left + slot * 0.2, 1),
                "width": round(slot * 0.6, 1),
                "y": round(baseline - height, 1),
                "height": height,
                "centre": round(left + slot / 2, 1),
                "value_y": round(baseline - height - 4, 1),
            }
        )
    return {"key": key, "caption": caption, "bars": bars}


def _series_context(charts: list[dict]) -> dict:
    baseline = SERIES_PLOT_TOP + SERIES_PLOT_HEIGHT
    return {
        "charts": charts,
        "width": SERIES_WIDTH,
        "height": baseline + 22,
        "baseline": baseline,
        "axis_right": SERIES_WIDTH - SERIES_PLOT_LEFT,
        "axis_left": SERIES_PLOT_LEFT,
        "year_y": baseline + 16,
        "colour": COVERAGE_COLOURS["party"],
    }


@register.inclusion_tag("partials/charts/series.html", takes_context=True)
def series_charts(context, series: list[dict], linked: bool = True) -> dict:
    """The main figures year by year: a small bar chart per figure, each scaled to its own
    largest value, with every value written above its bar."""
    counting = counting_query(context.get("figures"))
    charts = [
        _series_chart(
            figure,
            metric_label(figure),
            [
                {
                    "year": point["year"],
                    "value": point[figure],
                    "label": intcomma(point[figure]),
                    "url": list_url(point["year"], figure, counting=counting) if linked else "",
                }
                for point in series
            ],
        )
        for figure in SERIES_FIGURES
    ]
    return _series_context(charts)


@register.inclusion_tag("partials/charts/series.html")
def indicator_charts(indicators: list[dict]) -> dict:
    """A final review's indicators year by year: the baseline, then each year's actual, one
    small chart per indicator (its end target is in the table beside it)."""
    charts = []
    for row in indicators:
        points = [
            {
                "year": row["baseline_year"],
                "value": row["baseline_value"],
                "label": floatformat(row["baseline_value"], "-2g"),
            }
        ]
        points += [
            {
                "year": cell["year"],
                "value": cell["actual"],
                "label": "—" if cell["actual"] is None else floatformat(cell["actual"], "-2g"),
            }
            for cell in row["years"]
            if cell["year"] != row["baseline_year"]
        ]
        charts.append(_series_chart(f"indicator-{row['code']}", row["code"], points))
    return _series_context(charts)


@register.simple_tag(takes_context=True)
def figure_link(
    context, value, year, figure: str, dimension: str = "", key="", linked: bool = True
):
    """A count in the active language's format, linked to the enterprises behind it."""
    text = intcomma(value)
    url = enterprise_list_url(context, year, figure, dimension, key) if linked else ""
    return format_html('<a href="{}">{}</a>', url, text) if url else text


@register.inclusion_tag("partials/share.html", takes_context=True)
def share_figure(
    context,
    share: dict,
    year,
    numerator: str = "",
    denominator: str = "",
    dimension: str = "",
    key="",
    linked: bool = True,
) -> dict:
    """A share (`70 / 91 = 76.92 %`) whose numerator and denominator link to the enterprises
    they count, where a filter selects them."""

    def url(figure: str) -> str:
        if not (linked and figure):
            return ""
        return enterprise_list_url(context, year, figure, dimension, key)

    return {"share": share, "numerator_url": url(numerator), "denominator_url": url(denominator)}


HEADLINES = (
    ("enterprises_operating", None),
    ("enterprises_with_party_org", ("party_org_coverage_pct", "with_party_org", "enterprises")),
    (
        "enterprises_with_trade_union",
        ("union_coverage_pct", "with_trade_union", "union_eligible"),
    ),
    ("employees", None),
    ("party_members", None),
    ("union_members", None),
    ("new_party_members", None),
    ("party_orgs_founded", None),
    ("eligible_without_party_org", None),
)


@register.simple_tag
def headline_figures(metrics: dict) -> list[dict]:
    """The figures the dashboard leads with, each with its coverage share where it has one
    (and the figures that select the share's numerator and denominator)."""
    headlines = []
    for metric, share in HEADLINES:
        headline = {"metric": metric, "value": metrics[metric], "share": None}
        if share:
            name, numerator, denominator = share
            headline |= {
                "share": metrics[name],
                "numerator": numerator,
                "denominator": denominator,
            }
        headlines.append(headline)
    return headlines
