"""The synthetic data set's Vietnamese words and texts, read from the TOML files beside this
module and given the models' types: zones.toml (places, and the name, code and area of each kind
of zone), enterprises.toml (the words of names, sectors and investors with their weights, the
texts of returns) and programme.toml (the programme made when none covers the data's years)."""

import tomllib
from pathlib import Path

from coordination.models import Body
from enterprises.models import Zone

FOLDER = Path(__file__).parent


def read(name: str) -> dict:
    with (FOLDER / f"{name}.toml").open("rb") as file:
        return tomllib.load(file)


_zones = read("zones")
PLACES: tuple[str, ...] = tuple(_zones["places"])
# (name, code, (smallest, largest area in hectares)) by kind of zone
ZONE_KINDS: dict[str, tuple[str, str, tuple[int, int]]] = {
    Zone.Kind(kind): (values["name"], values["code"], tuple(values["area_ha"]))
    for kind, values in _zones["kinds"].items()
}

_enterprises = read("enterprises")
SECTORS: tuple[str, ...] = tuple(_enterprises["sectors"])
SECTOR_WEIGHTS: tuple[int, ...] = tuple(_enterprises["sectors"].values())
BRAND_SYLLABLES: tuple[str, ...] = tuple(_enterprises["brand_syllables"])
FOREIGN_SYLLABLES: tuple[str, ...] = tuple(_enterprises["foreign_syllables"])
INVESTOR_COUNTRIES: tuple[str, ...] = tuple(_enterprises["investor_countries"])
INVESTOR_WEIGHTS: tuple[int, ...] = tuple(_enterprises["investor_countries"].values())
FAMILY_NAMES: tuple[str, ...] = tuple(_enterprises["family_names"])
MIDDLE_NAMES: tuple[str, ...] = tuple(_enterprises["middle_names"])
GIVEN_NAMES: tuple[str, ...] = tuple(_enterprises["given_names"])
ATTACHED_ELSEWHERE: str = _enterprises["returns"]["explanation"]
RETURN_REASON: str = _enterprises["returns"]["return_reason"]

_programme = read("programme")
BODIES: list[dict] = [
    {
        **body,
        "kind": Body.Kind(body["kind"]),
        "document_style": Body.DocumentStyle(body["document_style"]),
    }
    for body in _programme["bodies"]
]
PROGRAMME: dict = _programme["programme"]
# (title, the titles of its tasks) of each content area, in order
CONTENT_AREAS: list[tuple[str, list[str]]] = [
    (area["title"], area["tasks"]) for area in _programme["content_areas"]
]
REVIEW: dict = _programme["review"]
FINAL_REVIEW: dict = _programme["final_review"]
SECTION: dict = _programme["section"]  # the same texts for each content area
