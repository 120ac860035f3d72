"""Deterministic synthetic data at national scale, for benchmarks (`manage.py generate_data`).

Zones (economic zones with the parks inside them, parks, clusters: zones.py), enterprises with
Vietnamese names, their party and mass organisations, one return per year with plausible counts
and a realistic status mix, and ratings (stories.py), and a small programme with a draft
one-year review and a draft final review (programme.py). The same arguments give the same data.
Rows go in with PostgreSQL's COPY (bulk_create elsewhere: writing.py), which bypasses `save()`
and records no history; search_text is computed for that reason. The zones' codes start with `SYNTHETIC_PREFIX`: that is how the data
is found again to be replaced (data_set.py). The Vietnamese words and texts are data, in the TOML
files of this folder (content.py reads them).
"""

from .data_set import (
    SyntheticDataPresent,
    delete_rows,
    delete_synthetic_data,
    existing_counts,
    generate,
    synthetic_enterprises,
    synthetic_zones,
)
from .programme import covering_programme, ensure_final_review
from .scale import Counts, Scale, add_scale_arguments, year_span
from .zones import SYNTHETIC_PREFIX

__all__ = [
    "SYNTHETIC_PREFIX",
    "Counts",
    "Scale",
    "SyntheticDataPresent",
    "add_scale_arguments",
    "covering_programme",
    "delete_rows",
    "delete_synthetic_data",
    "ensure_final_review",
    "existing_counts",
    "generate",
    "synthetic_enterprises",
    "synthetic_zones",
    "year_span",
]
