"""A realistic report for the renderer's tests: 600 seeded dossier lives lodged over 2021 (every script,
channel, both shipped procedures, two agencies and none) driven through an in-memory engine.

The lives come from tests/stores/lives.py (the tally contract's own data), so the renderers are
tested on the same shapes of dossier the counting is: carried over, late, paused, refused …
Building and driving them takes a few seconds, hence the cache per (group_by, period).
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import sys
from pathlib import Path

import tthc_engine as te
from tthc_engine.reporting.report import GroupBy, Report

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "stores"))
import lives

SEED = 2021
N_LIVES = 600
START = dt.datetime(2021, 1, 4, tzinfo=lives.VN)  # the shipped procedures are in force from then
DAYS = 360


@functools.cache
def driven_engine(seed: int = SEED, n: int = N_LIVES) -> te.Engine:
    """An in-memory engine that received `n` seeded lives lodged over 2021 (the same every run)."""
    engine = lives.engine_on()
    lives.drive(engine, lives.random_lives(random.Random(seed), n, START, DAYS))
    return engine


def report(group_by: GroupBy | None = "month", start: str = "2021-01-01", end: str = "2021-10-01") -> Report:
    """The report of [start, end) from the driven engine: by default the first nine months by month,
    so some dossiers are still in progress at its end and the next ones are carried over."""
    return driven_engine().report(start, end, group_by)
