"""The returns that simulated officials saved during a load run, one JSON line each, in the
order each official saved them, and the figures they save. Plain Python: the locustfile imports
it without Django."""

import json
import random
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Write:
    """A return the server confirmed as saved (302 after the POST): whose, which year, what."""

    enterprise: int
    year: int
    figures: dict[str, int]

    @property
    def key(self) -> tuple[int, int]:
        return (self.enterprise, self.year)


def append(path: Path, write: Write) -> None:
    """One line per write, written whole, so a run that stops leaves only complete lines."""
    with path.open("a") as lines:
        lines.write(json.dumps(asdict(write)) + "\n")


def read(path: Path) -> list[Write]:
    if not path.exists():
        return []
    return [Write(**json.loads(line)) for line in path.read_text().splitlines() if line]


def random_figures(rng: random.Random) -> dict[str, int]:
    """Figures that break no hard rule and raise no warning (so no explanation is needed): parts
    within their wholes, members within the employees, fewer than 3 party members."""
    employees = rng.randint(5, 3000)
    female = rng.randint(0, employees)
    party = rng.randint(0, 2)
    new_party = rng.randint(0, party)
    return {
        "employees": employees,
        "female_employees": female,
        "party_members": party,
        "new_party_members": new_party,
        "new_members_owners": rng.randint(0, new_party),
        "awareness_trainees": rng.randint(0, 20),
        "party_candidates": rng.randint(0, 10),
        "union_members": rng.randint(0, employees),
        "youth_members": rng.randint(0, employees),
        "women_members": rng.randint(0, female),
    }
