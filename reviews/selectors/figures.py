"""Counting the figures that selectors.definitions defines: every figure of a year per zone,
ownership and workforce size band in one query, and the shares, bands and zone roll-ups the
assessment, the gap lists and the enterprise list share."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from enterprises.selectors import visible_zones

from .definitions import COUNTS, FIGURES, SHARES, Counting, fact_expressions, for_year

CENT = Decimal("0.01")


@dataclass(frozen=True)
class SizeBand:
    label: Promise
    low: int
    high: int | None

    def holds(self, prefix: str = "counted_return__") -> Q:
        """On a row whose fields after `prefix` hold a return: its employees are in the band."""
        band = Q(**{f"{prefix}employees__gte": self.low})
        if self.high is not None:
            band &= Q(**{f"{prefix}employees__lte": self.high})
        return band


SIZE_BANDS = {
    "lt50": SizeBand(_("Under 50"), 0, 49),
    "50_299": SizeBand(_("50–299"), 50, 299),
    "300_499": SizeBand(_("300–499"), 300, 499),
    "500plus": SizeBand(_("500 and more"), 500, None),
}
"""Workforce size bands by the employees of the year's counted return, keyed as the enterprise
list's `size_band` filter."""
NO_RETURN = "none"
NO_RETURN_LABEL = _("No accepted return")


def size_band_condition(key: str) -> Q:
    """On for_year: the enterprises of a size band (NO_RETURN: without a counted return)."""
    if key == NO_RETURN:
        return Q(counted_return__isnull=True)
    return Q(counted_return__isnull=False) & SIZE_BANDS[key].holds()


SIZE_BAND = Case(
    *(
        When(Q(counted_return__isnull=False) & band.holds(), then=Value(key))
        for key, band in SIZE_BANDS.items()
    ),
    default=Value(NO_RETURN),
)
"""On for_year: the size band of each enterprise."""

BREAKDOWN_COUNTS = (
    "enterprises",
    "employees",
    "with_party_org",
    "party_members",
    "with_trade_union",
    "union_members",
)
"""The counts in a row of a breakdown (besides its two coverage shares), and the figure each
shows."""
BREAKDOWN_FIGURES = {
    "enterprises": "enterprises_operating",
    "employees": "employees",
    "with_party_org": "enterprises_with_party_org",
    "party_members": "party_members",
    "with_trade_union": "enterprises_with_trade_union",
    "union_members": "union_members",
}


def share(numerator: int, denominator: int) -> dict:
    """A share shown as `70 / 91 = 76.92 %`: computed in Decimal, rounded half-up to two
    decimals, never stored; `pct` is None when there is nothing to divide by."""
    pct = None
    if denominator:
        pct = decimal_str(Decimal(numerator) * 100 / Decimal(denominator))
    return {"numerator": numerator, "denominator": denominator, "pct": pct}


def decimal_str(value) -> str | None:
    if value is None:
        return None
    return str(Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP))


def source_text(label) -> str:
    """A label in the source language: the assessment is stored, so it holds no translation;
    templates translate by key."""
    with translation.override(None):
        return str(label)


def top_zones(user) -> tuple[list[dict], dict[int, int]]:
    """The highest zones the viewer sees (an economic zone rather than its parks), in name
    order, and for every visible zone the top zone it rolls up into."""
    zones = {
        z["pk"]: z for z in visible_zones(user).order_by("name").values("pk", "name", "parent")
    }

    def top(pk: int) -> int:
        while zones[pk]["parent"] in zones:
            pk = zones[pk]["parent"]
        return pk

    top_of = {pk: top(pk) for pk in zones}
    return [z for z in zones.values() if z["parent"] not in zones], top_of


def _sum_fields() -> dict:
    return {
        f"sum_{figure.field}": F(f"counted_return__{figure.field}")
        for figure in FIGURES.values()
        if figure.is_sum
    }


def year_groups(
    enterprises: QuerySet[Enterprise], counting: Counting, *, each: bool = False
) -> list[dict]:
    """Everything a year counts (definitions.COUNTS), per zone, ownership and size band (and,
    with `each`, per enterprise), in one query:
    the inner query states each enterprise's facts once, the outer one counts each figure's
    condition over them (Condition.sql), so that the numbers are the enterprise list's
    `figure` filter (Condition.q) counted."""
    facts = fact_expressions(counting)
    grouped = ("group_zone", "group_ownership", "group_band", *(("group_pk",) if each else ()))
    inner = for_year(enterprises, counting).values(
        group_pk=F("pk"),
        group_zone=F("zone_id"),
        group_ownership=F("ownership"),
        group_band=SIZE_BAND,
        **_sum_fields(),
        **{f"fact_{name}": expression for name, expression in facts.items()},
    )
    inner_sql, params = inner.order_by().query.sql_with_params()
    quote = connection.ops.quote_name

    def column(name: str) -> str:
        return quote(f"fact_{name}")

    selects = []
    for key, condition in COUNTS.items():
        figure = FIGURES.get(key)
        counted = (
            f"COALESCE({quote('sum_' + figure.field)}, 0)" if figure and figure.is_sum else "1"
        )
        selects.append(
            f"SUM(CASE WHEN {condition.sql(column)} THEN {counted} ELSE 0 END) AS {quote(key)}"
        )
    group = ", ".join(quote(name) for name in grouped)
    sql = f"SELECT {group}, {', '.join(selects)} FROM ({inner_sql}) facts GROUP BY {group}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [description[0] for description in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return [
        {
            **({"enterprise": row.pop("group_pk")} if each else {}),
            "zone": row.pop("group_zone"),
            "ownership": row.pop("group_ownership"),
            "band": row.pop("group_band"),
            **{key: int(value or 0) for key, value in row.items()},
        }
        for row in rows
    ]


def no_figures() -> dict:
    return dict.fromkeys(COUNTS, 0)


def sum_groups(groups: list[dict], key) -> dict:
    """The groups' figures summed by key(group)."""
    sums: dict = {}
    for group in groups:
        total = sums.setdefault(key(group), no_figures())
        for name in total:
            total[name] += group[name]
    return sums


def shares_of(figures: dict) -> dict:
    """The coverage shares (SHARES) of a set of figures."""
    return {
        key: share(figures[rule.numerator], figures[rule.denominator])
        for key, rule in SHARES.items()
    }
