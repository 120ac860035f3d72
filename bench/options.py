"""What a run of `python -m bench` was asked for."""

from dataclasses import dataclass

from reviews.sample_data import synthetic


@dataclass(frozen=True)
class Options:
    scale: synthetic.Scale
    seconds: int  # of load per page, after 2 of warm-up
    connections: int
    reload: bool  # generate the data set again
    only: frozenset[str]  # the keys of the pages to measure (all when empty)
