"""Installing the demo: the users first (the admin is the history's author), then the programme
side and the enterprise side, in one transaction; a second run writes nothing."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from . import content
from .enterprises import write_enterprises, write_organisations, write_returns, write_zones
from .plan import Generator, extend_to_latest_year
from .programme import (
    write_bodies,
    write_final_review,
    write_indicators,
    write_programme,
    write_review,
)
from .writer import NaturalKeyWriter

DEMO_PASSWORD = "laocai-demo-2024"
USERNAMES = [user["username"] for user in content.USERS]


@dataclass
class Summary:
    enterprises: int
    zones: int
    organisations: int
    returns: int
    created: int
    updated: int


def install_demo() -> Summary:
    """Writes the demo data set; running it again writes nothing."""
    writer = NaturalKeyWriter()
    with transaction.atomic():
        users = write_users(writer)
        writer.history_user = users["admin"]
        bodies = write_bodies(writer)
        programme, areas = write_programme(writer, bodies)
        zones = write_zones(writer, users)
        plans = Generator().enterprises()
        extend_to_latest_year(plans)
        enterprises = write_enterprises(writer, plans, zones)
        organisations = write_organisations(writer, plans, enterprises, bodies)
        returns = write_returns(writer, plans, enterprises, organisations, users)
        write_indicators(writer, programme, areas, zones)
        write_review(writer, programme, areas, bodies)
        write_final_review(writer, programme, bodies)
    return Summary(
        enterprises=len(enterprises),
        zones=len(zones),
        organisations=len(organisations),
        returns=returns,
        created=writer.created,
        updated=writer.updated,
    )


def write_users(writer: NaturalKeyWriter) -> dict:
    """The demo users by username, sharing one password hash: hashing is slow by design, and
    the demo should load in a few seconds."""
    users = {}
    verified: set[str] = set()
    for values in content.USERS:
        user = writer.sync(
            get_user_model(),
            {"username": values["username"]},
            {
                "first_name": values["first_name"],
                "last_name": values["last_name"],
                "email": values["email"],
                "is_staff": values["superuser"],
                "is_superuser": values["superuser"],
                "is_active": True,
            },
        )
        known = user.password in verified or (
            user.password and user.check_password(DEMO_PASSWORD)  # empty for a new user
        )
        if not known:
            user.password = next(iter(verified), None) or make_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            writer.updated += 1
        verified.add(user.password)
        writer.include(user.groups, Group.objects.get(name=values["group"]))
        users[user.username] = user
    return users
