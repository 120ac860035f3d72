"""The production settings, with the static files collected into the benchmark's own folder."""

import os

from coordination.settings import *  # noqa: F403

STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
