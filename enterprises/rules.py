"""The founding thresholds of the organisations inside an enterprise (domain.md), in one table.

Each threshold gives the check on a set of figures (a return's counts, by their field names), the
query filter on a row that holds them, and its messages with the numbers as parameters. They are
warnings, never errors: the higher body may grant exceptions."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Organisation


@dataclass(frozen=True)
class FoundingThreshold:
    kind: str
    """The kind of organisation the threshold is for."""
    minimum: int
    figures: tuple[str, ...]
    """The counts of which any one reaching the minimum meets the threshold."""
    rule: Promise
    """The rule in words, with the minimum as %(minimum)s."""

    def met_by(self, figures: Mapping[str, int | None]) -> bool:
        return any((figures.get(name) or 0) >= self.minimum for name in self.figures)

    def met_in(self, prefix: str = "") -> Q:
        """The same check as a filter on rows whose fields, after `prefix`, hold the figures."""
        return Q(
            *(Q(**{f"{prefix}{name}__gte": self.minimum}) for name in self.figures),
            _connector=Q.OR,
        )

    def text(self) -> str:
        return self.rule % {"minimum": self.minimum}


PARTY_ORGANISATION = FoundingThreshold(
    Organisation.Kind.PARTY,
    3,
    ("party_members",),
    _("A party organisation needs at least %(minimum)s full party members."),
)
PARTY_COMMITTEE = FoundingThreshold(
    Organisation.Kind.PARTY,
    30,
    ("party_members",),
    _("A grassroots party committee has %(minimum)s or more members."),
)
TRADE_UNION = FoundingThreshold(
    Organisation.Kind.TRADE_UNION,
    5,
    ("employees", "union_members"),
    _("A trade union is founded with at least %(minimum)s union members or employees who apply."),
)
YOUTH_CELL = FoundingThreshold(
    Organisation.Kind.YOUTH_UNION,
    3,
    ("youth_members",),
    _("A youth cell needs at least %(minimum)s members aged 16–30."),
)
FOUNDING_THRESHOLDS = {rule.kind: rule for rule in (PARTY_ORGANISATION, TRADE_UNION, YOUTH_CELL)}
"""The threshold an organisation of each kind is founded with (a party committee is a later
step of a party organisation)."""

FIGURES_SHOWN = {
    Organisation.Kind.PARTY: _("%(party_members)s party members"),
    Organisation.Kind.TRADE_UNION: _("%(employees)s employees and %(union_members)s union members"),
    Organisation.Kind.YOUTH_UNION: _("%(youth_members)s youth union members"),
}
"""The figures that a threshold of the kind reads, as a message shows them."""


def _shown(kind: str, figures: Mapping) -> str:
    return FIGURES_SHOWN[kind] % figures


def founding_warnings(*, kind: str, form: str, figures: Mapping | None) -> list[str]:
    """The thresholds an organisation of this kind and form would be founded (or changed)
    against, checked on the enterprise's latest figures (with their `year`); None when no return
    shows them yet."""
    threshold = FOUNDING_THRESHOLDS.get(kind)
    if threshold is None:
        return []
    if figures is None:
        return [
            _("%(rule)s No return shows this enterprise's figures yet.")
            % {"rule": threshold.text()}
        ]
    context = {"rule": threshold.text(), "year": figures["year"], "shown": _shown(kind, figures)}
    if not threshold.met_by(figures):
        return [_("%(rule)s The %(year)s return shows %(shown)s.") % context]
    if kind != Organisation.Kind.PARTY:
        return []
    is_committee = form == Organisation.Form.GRASSROOTS_COMMITTEE
    context["rule"] = PARTY_COMMITTEE.text()
    if not is_committee and PARTY_COMMITTEE.met_by(figures):
        return [
            _(
                "%(rule)s The %(year)s return shows %(shown)s: it should be a grassroots party committee."
            )
            % context
        ]
    if is_committee and not PARTY_COMMITTEE.met_by(figures):
        return [
            _("%(rule)s The %(year)s return shows %(shown)s: it should be a grassroots party cell.")
            % context
        ]
    return []


CAN_BE_FOUNDED = {
    Organisation.Kind.PARTY: _(
        "The %(year)s return shows %(shown)s and there is no active party organisation: a party "
        "cell can be founded."
    ),
    Organisation.Kind.TRADE_UNION: _(
        "The %(year)s return shows %(shown)s and there is no trade union: one can be founded."
    ),
    Organisation.Kind.YOUTH_UNION: _(
        "The %(year)s return shows %(shown)s and there is no youth union: a youth cell can be "
        "founded."
    ),
}


def enterprise_hints(
    *, organisations: list[Organisation], figures: Mapping | None, day: datetime.date
) -> list[str]:
    """What the thresholds suggest from the latest figures (with their `year`) and the
    organisations active on the day: an organisation that can be founded, a party organisation
    below its threshold, a party cell that can become a committee."""
    if figures is None:
        return []
    active = {o.kind: o for o in organisations if o.is_active_on(day)}
    hints = [
        CAN_BE_FOUNDED[kind] % {"year": figures["year"], "shown": _shown(kind, figures)}
        for kind, threshold in FOUNDING_THRESHOLDS.items()
        if kind not in active and threshold.met_by(figures)
    ]
    party = active.get(Organisation.Kind.PARTY)
    context = {"year": figures["year"], "shown": _shown(Organisation.Kind.PARTY, figures)}
    if party is not None and not PARTY_ORGANISATION.met_by(figures):
        context["rule"] = PARTY_ORGANISATION.text()
        hints.append(_("The %(year)s return shows %(shown)s. %(rule)s") % context)
    if (
        party is not None
        and party.form != Organisation.Form.GRASSROOTS_COMMITTEE
        and PARTY_COMMITTEE.met_by(figures)
    ):
        hints.append(
            _(
                "The %(year)s return shows %(shown)s: the party cell can become a grassroots "
                "party committee."
            )
            % context
        )
    return hints
