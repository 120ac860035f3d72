"""After a load run: is every return the simulated officials saved in the database, as they
saved it? Each confirmed save must be a row of the return's history, in the order it was made,
and the return's row must hold the last one."""

from collections import defaultdict

from reviews.models import AnnualReturn

from .writes import Write

Figures = dict[str, int]


def lost_writes(writes: list[Write]) -> list[str]:
    """What the database does not show of the writes, one line per return; empty when all is
    there. Earlier history (a return that existed before the run) is allowed before the saves."""
    saves: dict[tuple[int, int], list[Figures]] = defaultdict(list)
    for write in writes:
        saves[write.key].append(write.figures)
    rows, history = _stored(saves.keys())
    problems = []
    for (enterprise, year), saved in saves.items():
        where = f"enterprise {enterprise}, return {year}"
        if (enterprise, year) not in rows:
            problems.append(f"{where}: saved {len(saved)}×, but no return in the database")
            continue
        recorded = history[(enterprise, year)][-len(saved) :]
        if len(recorded) < len(saved):
            problems.append(f"{where}: saved {len(saved)}×, {len(recorded)} in its history")
            continue
        for number, (written, stored) in enumerate(zip(saved, recorded, strict=True), start=1):
            if difference := _difference(written, stored):
                problems.append(
                    f"{where}: save {number} of {len(saved)}: {difference} in its history"
                )
                break
        else:
            if difference := _difference(saved[-1], rows[(enterprise, year)]):
                problems.append(f"{where}: the last save is not what the row holds: {difference}")
    return problems


def _stored(keys) -> tuple[dict[tuple[int, int], Figures], dict[tuple[int, int], list[Figures]]]:
    """The current rows and the history (oldest first) of the returns with these keys."""
    keys = set(keys)
    if not keys:
        return {}, {}
    enterprises = {enterprise for enterprise, _ in keys}
    years = {year for _, year in keys}

    def by_key(queryset) -> dict[tuple[int, int], list[Figures]]:
        found: dict[tuple[int, int], list[Figures]] = defaultdict(list)
        for values in queryset.filter(enterprise_id__in=enterprises, year__in=years).values():
            key = (values["enterprise_id"], values["year"])
            if key in keys:
                found[key].append(values)
        return found

    rows = {key: values[0] for key, values in by_key(AnnualReturn.objects.all()).items()}
    history = by_key(AnnualReturn.history.order_by("history_id"))
    return rows, history


def _difference(written: Figures, stored: Figures) -> str:
    """The first figure that differs, as 'employees 150 saved, 140 stored', or ''."""
    for name, value in written.items():
        if stored.get(name) != value:
            return f"{name} {value} saved, {stored.get(name)} stored"
    return ""
