"""What the benchmark measured of a page, and the target it is held to."""

from dataclasses import dataclass

from .throughput import Throughput


@dataclass(frozen=True)
class Target:
    """A page's budget: throughput as a share of /healthz's, or a time and a peak memory."""

    ratio: float | None = None
    seconds: float | None = None
    megabytes: float | None = None

    def describe(self) -> str:
        parts = []
        if self.ratio:
            parts.append(f"≥ 1/{round(1 / self.ratio)}")
        if self.seconds:
            parts.append(f"< {self.seconds:g} s")
        if self.megabytes:
            parts.append(f"< {self.megabytes:g} MB")
        return ", ".join(parts)


@dataclass
class Result:
    label: str
    user: str
    target: Target
    path: str = ""
    note: str = ""
    throughput: Throughput | None = None
    ratio: float | None = None
    seconds: float | None = None
    megabytes: float | None = None
    first_ms: float | None = None
    """The page's first request of the run: its cached parts computed afresh, as after a write."""
    writing: Throughput | None = None
    """The same load while officials save returns (writers.py)."""
    failed: bool = False
    """A request answered other than as the page should: the target is not met, whatever the
    time."""

    def refuse(self, why: str) -> None:
        self.failed = True
        self.note = f"{self.note}; {why}" if self.note else why

    @property
    def met(self) -> bool | None:
        if self.failed:
            return False
        checks = []
        if self.target.ratio is not None and self.ratio is not None:
            checks.append(self.ratio >= self.target.ratio)
        if self.target.seconds is not None and self.seconds is not None:
            checks.append(self.seconds < self.target.seconds)
        if self.target.megabytes is not None and self.megabytes is not None:
            checks.append(self.megabytes < self.target.megabytes)
        return all(checks) if checks else None
