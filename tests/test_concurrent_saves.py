"""Nothing lost when two people save the same record at the same moment: two threads, each with
its own PostgreSQL connection, read the same version and then write; one is saved, the other is
told (StaleEdit, with the winner's values), and the row and its history show one change only.
Repeated for a few rounds, since a race may need several tries to overlap."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from coordination.versioning import StaleEdit
from enterprises.models import Enterprise
from enterprises.services import update_enterprise
from reviews.models import AnnualReturn
from reviews.services import returns as services

from . import factories

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises writers, so saves never overlap; this is about PostgreSQL "
        "(CI runs it there: set DATABASE_URL to a PostgreSQL database).",
    ),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("committed_groups"),
]

ROUNDS = 5
YEAR = 2024
JOIN_SECONDS = 30


def race(*saves: Callable[[threading.Barrier], object]) -> list[object]:
    """Runs each save in its own thread (so its own database connection); each reads, waits at
    the barrier until all have read, then writes. Returns what each returned or raised."""
    barrier = threading.Barrier(len(saves), timeout=JOIN_SECONDS)
    outcomes: list[object] = [None] * len(saves)

    def run(index: int, save: Callable[[threading.Barrier], object]) -> None:
        try:
            outcomes[index] = save(barrier)
        except Exception as error:  # the outcome under test, or a failure the test reports
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(saves)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_SECONDS)
    assert not any(thread.is_alive() for thread in threads), "a save hung"
    return outcomes


def winner_and_loser(outcomes: list[object]) -> tuple[int, StaleEdit]:
    """The index of the one save that went through and the StaleEdit the other got."""
    stale = [o for o in outcomes if isinstance(o, StaleEdit)]
    saved = [i for i, o in enumerate(outcomes) if not isinstance(o, Exception)]
    assert len(saved) == 1 and len(stale) == 1, f"expected one saved, one told: {outcomes!r}"
    return saved[0], stale[0]


@pytest.fixture
def second_official(zone_a):
    user = factories.UserFactory(username="official_a2")
    zone_a.officials.add(user)
    return user


def test_two_simultaneous_enterprise_saves_keep_one_and_refuse_the_other(
    enterprise_a, official_a, second_official
):
    editors = {"111": official_a, "222": second_official}

    def edit_phone(phone: str) -> Callable[[threading.Barrier], Enterprise]:
        def save(barrier: threading.Barrier) -> Enterprise:
            opened = Enterprise.objects.get(pk=enterprise_a.pk)
            barrier.wait()
            return update_enterprise(
                enterprise=opened,
                data={"phone": phone},
                seen_version=opened.version,
                user=editors[phone],
            )

        return save

    for _ in range(ROUNDS):
        before = Enterprise.objects.get(pk=enterprise_a.pk)
        history_before = before.history.count()
        phones = list(editors)
        winner, refused = winner_and_loser(race(*(edit_phone(phone) for phone in phones)))

        after = Enterprise.objects.get(pk=enterprise_a.pk)
        assert after.phone == phones[winner]
        assert refused.current.phone == phones[winner], "the loser is shown the winner's values"
        assert after.version == before.version + 1
        assert after.history.count() == history_before + 1
        assert after.history.first().history_user == editors[phones[winner]]


def test_two_simultaneous_return_saves_keep_one_and_refuse_the_other(
    enterprise_a, official_a, second_official
):
    factories.AnnualReturnFactory(enterprise=enterprise_a, year=YEAR)
    editors = {201: official_a, 202: second_official}

    def enter_employees(employees: int) -> Callable[[threading.Barrier], AnnualReturn]:
        def save(barrier: threading.Barrier) -> AnnualReturn:
            opened = AnnualReturn.objects.get(enterprise=enterprise_a, year=YEAR)
            barrier.wait()
            return services.save_return(
                user=editors[employees],
                enterprise=enterprise_a,
                year=YEAR,
                figures=factories.return_form_data(employees=employees),
                ratings={},
                version=opened.version,
            )

        return save

    for _ in range(ROUNDS):
        before = AnnualReturn.objects.get(enterprise=enterprise_a, year=YEAR)
        history_before = before.history.count()
        counts = list(editors)
        winner, refused = winner_and_loser(race(*(enter_employees(n) for n in counts)))

        after = AnnualReturn.objects.get(enterprise=enterprise_a, year=YEAR)
        assert after.employees == counts[winner]
        assert refused.current.employees == counts[winner]
        assert after.version == before.version + 1
        assert after.history.count() == history_before + 1
        assert after.history.first().history_user == editors[counts[winner]]


def test_two_simultaneous_first_saves_of_a_return_create_one(
    enterprise_a, official_a, second_official
):
    """Both open the form before any return exists: the database's unique (enterprise, year)
    lets one in and the other is told someone created it meanwhile. A new year each round."""
    editors = {201: official_a, 202: second_official}

    def create(employees: int, year: int) -> Callable[[threading.Barrier], AnnualReturn]:
        def save(barrier: threading.Barrier) -> AnnualReturn:
            barrier.wait()
            return services.save_return(
                user=editors[employees],
                enterprise=enterprise_a,
                year=year,
                figures=factories.return_form_data(employees=employees),
                ratings={},
                version=None,
            )

        return save

    for year in range(YEAR - ROUNDS + 1, YEAR + 1):
        outcomes = race(*(create(employees, year) for employees in editors))
        created = [o for o in outcomes if isinstance(o, AnnualReturn)]
        refused = [o for o in outcomes if isinstance(o, services.DuplicateReturn)]
        assert len(created) == 1 and len(refused) == 1, f"one created, one told: {outcomes!r}"
        stored = AnnualReturn.objects.get(enterprise=enterprise_a, year=year)
        assert stored.employees == created[0].employees
        assert stored.version == 1
        assert stored.history.count() == 1
