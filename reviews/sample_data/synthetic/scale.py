"""The size of the synthetic data set: the one asked for (Scale, from the arguments that
generate_data, `python -m bench` and `python -m load` share) and the one found (Counts)."""

import argparse
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields

from coordination.models import MAX_YEAR, MIN_YEAR


def year_span(text: str) -> range:
    """`2022-2025` (or one year, `2024`) as the range of those years."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{4}))?", text)
    if not match:
        raise ValueError(text)
    first, last = int(match[1]), int(match[2] or match[1])
    if not MIN_YEAR <= first <= last <= MAX_YEAR:
        raise ValueError(text)
    return range(first, last + 1)


@dataclass(frozen=True)
class Scale:
    enterprises: int
    zones: int
    years: range
    seed: int

    @classmethod
    def from_arguments(cls, arguments: Mapping) -> "Scale":
        """From parsed arguments (see add_scale_arguments)."""
        return cls(**{field.name: arguments[field.name] for field in fields(cls)})


def add_scale_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--enterprises", type=int, default=50000)
    parser.add_argument("--zones", type=int, default=400)
    parser.add_argument(
        "--years", type=year_span, default=year_span("2022-2025"), help="e.g. 2022-2025"
    )
    parser.add_argument("--seed", type=int, default=1)


@dataclass
class Counts:
    zones: int = 0
    enterprises: int = 0
    organisations: int = 0
    returns: int = 0
    ratings: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)
