"""The demo's Vietnamese content, read from the TOML files beside this module and given the
models' types: programme.toml (bodies, programme, content areas, tasks, indicators), zones.toml
(zones, and the enterprises and trades of each), enterprises.toml (names, organisations, the
texts of returns), review.toml (the one-year review) and users.toml. A value a file leaves out is
None."""

import tomllib
from pathlib import Path
from typing import NamedTuple

from coordination.models import Body, Indicator, Task
from coordination.roles import GROUPS
from enterprises.models import Organisation, Zone

FOLDER = Path(__file__).parent


def read(name: str) -> dict:
    with (FOLDER / f"{name}.toml").open("rb") as file:
        return tomllib.load(file)


class Trade(NamedTuple):
    word: str  # in the enterprise's name
    sector: str
    female_share: float  # of the workforce


_programme = read("programme")
PROGRAMME_NUMBER: str = _programme["number"]
LEAD_BODY: str = _programme["lead"]
COORDINATING_BODY: str = _programme["coordinating"]
BODIES: list[dict] = [{**body, "kind": Body.Kind(body["kind"])} for body in _programme["bodies"]]
PROGRAMME: dict = _programme["programme"]
CONTENT_AREAS: list[dict] = _programme["content_areas"]
TASKS: list[dict] = [
    {**task, "status": Task.Status(task["status"])} for task in _programme["tasks"]
]
COMPUTED_INDICATORS: list[dict] = [
    {**indicator, "metric": Indicator.Metric(indicator["metric"])}
    for indicator in _programme["indicators"]
]
MANUAL_INDICATOR: dict = _programme["manual_indicator"]

_zones = read("zones")
ZONES: list[dict] = [{**zone, "kind": Zone.Kind(zone["kind"])} for zone in _zones["zones"]]
# How many enterprises each zone holds, and its trades, in the order the zones are filled.
ZONE_TRADES: dict[str, tuple[int, list[Trade]]] = {
    code: (zone["count"], [Trade(**trade) for trade in zone["trades"]])
    for code, zone in _zones["enterprises"].items()
}

_enterprises = read("enterprises")
BRANDS: list[str] = _enterprises["brands"]
SURNAMES: list[str] = _enterprises["surnames"]
MIDDLE_NAMES: list[str] = _enterprises["middle_names"]
GIVEN_NAMES: list[str] = _enterprises["given_names"]
FOREIGN_BRANDS: dict[str, list[str]] = {
    country: investor["brands"] for country, investor in _enterprises["foreign_investors"].items()
}
FOREIGN_WEIGHTS: dict[str, int] = {
    country: investor["weight"] for country, investor in _enterprises["foreign_investors"].items()
}
PARTY_SUPERIOR_BODY: str = _enterprises["party_superior_body"]
# (the first words of its name, its leader's title) by kind of organisation
ORGANISATION_NAMES: dict[str, tuple[str, str]] = {
    Organisation.Kind(kind): (names["name"], names["leader_title"])
    for kind, names in _enterprises["organisations"].items()
}
PARTY_COMMITTEE_NAMES: tuple[str, str] = (
    _enterprises["party_committee"]["name"],
    _enterprises["party_committee"]["leader_title"],
)
RETURN_EXPLANATION: str = _enterprises["returns"]["explanation"]  # takes {party_members}
RETURN_REASON: str = _enterprises["returns"]["return_reason"]

_review = read("review")
REVIEW: dict = _review["review"]
FINAL_REVIEW: dict = _review["final_review"]
SECTIONS: dict[int, dict] = {
    section["area"]: {name: text for name, text in section.items() if name != "area"}
    for section in _review["sections"]
}
SIGNATURES: list[dict] = _review["signatures"]

USERS: list[dict] = read("users")["users"]
for _user in USERS:
    if _user["group"] not in GROUPS:
        raise ValueError(
            f"users.toml: {_user['username']}'s group {_user['group']} is not in {GROUPS}"
        )
