"""The returns that simulated officials saved during a load run, one JSON line each, in the
order each official saved them. Plain Python: the locustfile imports it without Django."""

import json
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
