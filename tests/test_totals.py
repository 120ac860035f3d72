"""The totals the assessment reads (reviews.totals) stay what the full count of the rows gives,
whatever writes them: random saves and deletes of enterprises (closing, moving zone, changing
ownership), organisations, returns and ratings, bulk updates, the import, the synthetic data
set; and the assessment from the totals is what the enterprise lists behind its figures count."""

import datetime
import random

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db.models import Count

from enterprises.changes import batched, changed, zones_changed
from enterprises.models import Enterprise, Organisation
from enterprises.selectors import visible_enterprises
from reviews.models import AnnualReturn, FigureTotals, OrganisationRating, RatingTotals, TotalsYear
from reviews.models.totals import COUNTED, column
from reviews.selectors import assessment
from reviews.selectors.assessment import year_figures
from reviews.selectors.definitions import COUNTS, FIGURES, Counting, figure_condition, for_year
from reviews.selectors.figures import year_groups
from reviews.signals import returns_changed
from reviews.totals import rebuild_totals

from . import factories

YEARS = range(2021, 2025)
STATUSES = AnnualReturn.Status.values
KINDS = (Organisation.Kind.PARTY, Organisation.Kind.TRADE_UNION, Organisation.Kind.YOUTH_UNION)


def _nonzero(groups: dict) -> dict:
    return {key: counts for key, counts in groups.items() if any(counts.values())}


def kept_groups(year: int) -> dict:
    rows = FigureTotals.objects.filter(year=year).values(
        "zone_id", "ownership", "band", *map(column, COUNTED)
    )
    return _nonzero(
        {
            (row["zone_id"], row["ownership"], row["band"]): {
                name: row[column(name)] for name in COUNTED
            }
            for row in rows
        }
    )


def counted_groups(year: int) -> dict:
    groups = year_groups(Enterprise.objects.all(), Counting(year))
    return _nonzero(
        {
            (group["zone"], group["ownership"], group["band"]): {
                name: group[name] for name in COUNTED
            }
            for group in groups
        }
    )


def kept_ratings(year: int) -> dict:
    rows = RatingTotals.objects.filter(year=year).values_list("zone_id", "kind", "rating", "count")
    return {(zone, kind, rating): count for zone, kind, rating, count in rows}


def counted_ratings(year: int) -> dict:
    rows = (
        OrganisationRating.objects.filter(year=year)
        .values_list("organisation__enterprise__zone_id", "organisation__kind", "rating")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {(zone, kind, rating): count for zone, kind, rating, count in rows}


def assert_totals_right(step: str = "") -> None:
    for year in YEARS:
        assert kept_groups(year) == counted_groups(year), (step, year)
        assert kept_ratings(year) == counted_ratings(year), (step, year)


def _day(rng: random.Random, first: int = 2019, last: int = 2025) -> datetime.date:
    return datetime.date(rng.randint(first, last), rng.randint(1, 12), rng.randint(1, 28))


class World:
    """A few zones (one a park inside another) with random enterprises, organisations, returns
    and ratings, changed at random."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        economic = factories.ZoneFactory(code="EZ", kind="economic_zone")
        self.zones = [
            economic,
            factories.ZoneFactory(code="P1", parent=economic),
            factories.ZoneFactory(code="P2"),
        ]

    def enterprise(self) -> Enterprise:
        rng = self.rng
        return factories.EnterpriseFactory(
            zone=rng.choice(self.zones),
            ownership=rng.choice(Enterprise.Ownership.values),
            founded_on=_day(rng, 2012, 2023),
        )

    def annual_return(self) -> None:
        rng = self.rng
        enterprise = rng.choice(list(Enterprise.objects.all()))
        year = rng.choice(YEARS)
        if AnnualReturn.objects.filter(enterprise=enterprise, year=year).exists():
            return
        employees = rng.choice([0, 3, 20, 120, 350, 800])
        party = rng.randint(0, 6)
        status = rng.choice(STATUSES)
        factories.AnnualReturnFactory(
            enterprise=enterprise,
            year=year,
            status=status,
            employees=employees,
            female_employees=employees // 2,
            party_members=party,
            new_party_members=min(party, 1),
            union_members=rng.randint(0, employees),
            awareness_trainees=rng.randint(0, 3),
        )

    def organisation(self) -> None:
        rng = self.rng
        enterprise = rng.choice(list(Enterprise.objects.all()))
        kind = rng.choice(KINDS)
        active = enterprise.organisations.filter(kind=kind, dissolved_on__isnull=True).first()
        if active is not None:
            active.dissolved_on = max(active.founded_on, _day(rng))
            active.save()
        else:
            factories.OrganisationFactory(enterprise=enterprise, kind=kind, founded_on=_day(rng))

    def rating(self) -> None:
        rng = self.rng
        organisation = rng.choice(list(Organisation.objects.all()) or [None])
        if organisation is None:
            return
        year = rng.choice(YEARS)
        rating = OrganisationRating.objects.filter(organisation=organisation, year=year).first()
        if rating is not None and rng.random() < 0.3:
            rating.delete()
            return
        rating = rating or OrganisationRating(organisation=organisation, year=year)
        rating.rating = rng.choice(OrganisationRating.Rating.values)
        rating.save()

    def change(self) -> str:
        """One random write; returns what it did."""
        rng = self.rng
        enterprise = rng.choice(list(Enterprise.objects.all()))
        returns = list(AnnualReturn.objects.all())
        write = rng.choice(
            [
                "close",
                "move",
                "ownership",
                "return status",
                "return figures",
                "delete return",
                "bulk accept",
                "organisation",
                "rating",
                "new return",
                "delete enterprise",
            ]
        )
        if write == "close":
            enterprise.status = Enterprise.Status.CLOSED
            enterprise.closed_on = max(enterprise.founded_on, _day(rng, 2020, 2025))
            enterprise.save()
        elif write == "move":
            enterprise.zone = rng.choice([z for z in self.zones if z.pk != enterprise.zone_id])
            enterprise.save()
        elif write == "ownership":
            enterprise.ownership = rng.choice(Enterprise.Ownership.values)
            enterprise.save()
        elif write == "return status" and returns:
            annual_return = rng.choice(returns)
            annual_return.status = rng.choice(STATUSES)
            annual_return.save()
        elif write == "return figures" and returns:
            annual_return = rng.choice(returns)
            annual_return.employees = annual_return.female_employees = rng.choice([0, 60, 500])
            annual_return.party_members = annual_return.new_party_members = rng.randint(0, 4)
            annual_return.union_members = 0
            annual_return.save()
        elif write == "delete return" and returns:
            rng.choice(returns).delete()
        elif write == "bulk accept" and returns:
            pks = [r.pk for r in rng.sample(returns, min(3, len(returns)))]
            AnnualReturn.objects.filter(pk__in=pks).update(status=AnnualReturn.Status.ACCEPTED)
            returns_changed(pks)  # as the bulk paths do
        elif write == "organisation":
            self.organisation()
        elif write == "rating":
            self.rating()
        elif write == "new return":
            self.annual_return()
        elif write == "delete enterprise":  # the admin's, of one without rows of its own
            lone = Enterprise.objects.filter(returns=None, organisations=None).first()
            if lone is not None:
                lone.delete()
        return write


def changed_world(rng: random.Random, official, *, rows: int, changes: int) -> None:
    """A World of 10 enterprises, whose first zone is the official's, with `rows` returns and
    organisations written, then `changes` random writes."""
    world = World(rng)
    world.zones[0].officials.add(official)
    for _ in range(10):
        world.enterprise()
    for _ in range(rows):
        world.annual_return()
        world.organisation()
    for _ in range(changes):
        world.change()


def test_the_counts_kept_are_the_assessments_counts():
    assert set(COUNTED) == set(COUNTS)


@pytest.mark.parametrize("seed", range(4))
def test_totals_follow_random_writes(db, seed):
    rebuild_totals(years=YEARS)
    world = World(random.Random(seed))
    for _ in range(10):
        world.enterprise()
    for _ in range(12):
        world.annual_return()
        world.organisation()
        world.rating()
    assert_totals_right("created")
    for step in range(25):
        done = world.change()
        assert_totals_right(f"{step}: {done}")


@pytest.mark.parametrize("seed", range(3))
def test_the_assessment_from_totals_counts_what_its_lists_show(db, seed, reviewer, official_a):
    """year_figures reads the totals (returns accepted by now): each figure is the count (or
    the sum) of the enterprise list behind it, for a reviewer and for an official."""
    rebuild_totals(years=YEARS)
    changed_world(random.Random(100 + seed), official_a, rows=15, changes=15)
    assert TotalsYear.objects.count() == len(YEARS)
    for user in (reviewer, official_a):
        for year in YEARS:
            counting = Counting(year)
            figures = year_figures(user=user, counting=counting).metrics
            enterprises = for_year(visible_enterprises(user), counting)
            for key, definition in FIGURES.items():
                behind = enterprises.filter(figure_condition(key, counting))
                if definition.is_sum:
                    field = f"counted_return__{definition.field}"
                    assert sum(behind.values_list(field, flat=True)) == figures[key], key
                else:
                    assert behind.count() == figures[key], (user, year, key)


def test_a_year_is_kept_from_its_first_read(db, enterprise_a, reviewer):
    factories.AnnualReturnFactory(enterprise=enterprise_a, year=2023, status="accepted")
    assert not TotalsYear.objects.exists()
    assert year_figures(user=reviewer, counting=Counting(2023)).metrics["employees"] == 100
    assert list(TotalsYear.objects.values_list("year", flat=True)) == [2023]
    factories.AnnualReturnFactory(
        enterprise=factories.EnterpriseFactory(zone=enterprise_a.zone), year=2023, status="accepted"
    )
    assert kept_groups(2023) == counted_groups(2023)


def test_a_preview_counts_live(db, enterprise_a, reviewer):
    factories.AnnualReturnFactory(enterprise=enterprise_a, year=2023, status="submitted")
    preview = year_figures(user=reviewer, counting=Counting(2023, preview=True))
    assert preview.metrics["employees"] == 100
    assert not TotalsYear.objects.exists()


CUT_OFFS = [datetime.date(2022, 6, 1), datetime.date(2023, 3, 1), datetime.date(2025, 2, 15)]


def _accepted_at(rng: random.Random) -> datetime.datetime | None:
    if rng.random() < 0.2:
        return None  # accepted through the admin, with no date
    day = _day(rng, 2021, 2025)
    return datetime.datetime(day.year, day.month, day.day, 9, tzinfo=datetime.UTC)


@pytest.mark.parametrize("seed", range(3))
def test_figures_to_a_cut_off_from_the_totals_are_the_live_count(
    db, seed, reviewer, official_a, monkeypatch
):
    """A draft review counts the returns accepted by its cut-off date: the totals less the
    enterprises recounted to it give what counting every enterprise to it gives."""
    rebuild_totals(years=YEARS)
    rng = random.Random(200 + seed)
    changed_world(rng, official_a, rows=20, changes=10)
    for pk in AnnualReturn.objects.filter(status="accepted").values_list("pk", flat=True):
        AnnualReturn.objects.filter(pk=pk).update(accepted_at=_accepted_at(rng))
    differed = False
    for user in (reviewer, official_a):
        for year in YEARS:
            by_now = year_figures(user=user, counting=Counting(year))
            for cut_off in CUT_OFFS:
                counting = Counting(year, cut_off)
                kept = year_figures(user=user, counting=counting)
                cache.clear()
                with monkeypatch.context() as live:
                    live.setattr(assessment, "from_totals", lambda counting: False)
                    counted = year_figures(user=user, counting=counting)
                cache.clear()
                assert kept.metrics == counted.metrics, (user, year, cut_off)
                for by in ("by_zone", "by_ownership", "by_band"):
                    assert _nonzero(getattr(kept, by)) == _nonzero(getattr(counted, by)), by
                differed |= kept.metrics != by_now.metrics
    assert differed  # some cut-off counted fewer returns than were accepted by now


def test_a_batch_refreshes_its_zones_once_in_order(db, zone_a, zone_b):
    """Bulk reviews of several years and zones take their zones' locks in one go: two such
    batches over the same zones never each hold one the other waits for."""
    sent = []

    def receive(sender, *, zones, since, enterprises, **kwargs):
        sent.append((zones, since, enterprises))

    zones_changed.connect(receive, dispatch_uid="test-batch")
    try:
        with batched():
            changed({zone_b.pk}, since=2024, enterprises={1})
            changed({zone_a.pk}, since=2023, enterprises={2})
        with batched():
            changed({zone_a.pk}, since=2025, enterprises={3})
            changed({zone_b.pk}, enterprises=None)
    finally:
        zones_changed.disconnect(dispatch_uid="test-batch")
    assert sent == [
        (frozenset({zone_a.pk, zone_b.pk}), 2023, frozenset({1, 2})),
        (frozenset({zone_a.pk, zone_b.pk}), None, None),
    ]


def test_the_command_recounts_every_year_kept(db, enterprise_a, capsys):
    rebuild_totals(years=[2023])
    factories.AnnualReturnFactory(enterprise=enterprise_a, year=2023, status="accepted")
    FigureTotals.objects.all().delete()  # as a restore of an old backup might leave them
    call_command("rebuild_totals", "--years", "2024-2025")
    assert "2023, 2024, 2025" in capsys.readouterr().out
    for year in (2023, 2024, 2025):
        assert kept_groups(year) == counted_groups(year)


def test_the_synthetic_data_set_keeps_the_totals(db):
    from reviews.sample_data import synthetic

    rebuild_totals(years=[2023])
    synthetic.generate(synthetic.Scale(enterprises=40, zones=3, years=[2022, 2023], seed=3))
    assert set(TotalsYear.objects.values_list("year", flat=True)) == {2022, 2023}
    for year in (2022, 2023):
        assert kept_groups(year) == counted_groups(year) != {}
    synthetic.delete_synthetic_data()
    assert not FigureTotals.objects.exists()
