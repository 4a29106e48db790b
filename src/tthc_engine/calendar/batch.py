"""Batch add_working_days for reports: one bisect per date, vectorised when numpy is installed.

numpy stays optional (the `bench` extra): it is imported only when a numpy array is passed in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tthc_engine.calendar.workcalendar import WorkCalendar

_EPOCH_ORD = dt.date(1970, 1, 1).toordinal()


def add_working_days_batch(cal: WorkCalendar, dates: Any, n: int | Sequence[int]) -> Any:
    module = type(dates).__module__
    if module == "numpy" or module.startswith("numpy."):
        return _numpy_batch(cal, dates, n)
    items = list(dates)
    if isinstance(n, int):
        return [cal.add_working_days(d, n) for d in items]
    counts = list(n)
    if len(counts) != len(items):
        raise ValueError(f"add_working_days_batch: {len(items)} dates but {len(counts)} counts")
    return [cal.add_working_days(d, k) for d, k in zip(items, counts, strict=True)]


def _numpy_batch(cal: WorkCalendar, dates: Any, n: int | Sequence[int]) -> Any:
    import numpy as np

    days = np.asarray(dates, dtype="datetime64[D]")
    if days.size == 0:
        return days.copy()
    ords = days.astype(np.int64) + _EPOCH_ORD
    counts = np.asarray(n, dtype=np.int64)
    lo = dt.date.fromordinal(int(ords.min()))
    hi = dt.date.fromordinal(int(ords.max()))
    # make sure the table reaches far enough on both sides, then index it in one go
    first = cal.add_working_days(lo, int(min(counts.min(), 0)) - 1)
    last = cal.add_working_days(hi, int(max(counts.max(), 0)) + 1)
    work = np.asarray(cal.working_ordinals(first, last), dtype=np.int64)
    k = np.where(
        counts > 0,
        np.searchsorted(work, ords, side="right") + counts - 1,
        np.searchsorted(work, ords, side="left") + counts,
    )
    return (work[k] - _EPOCH_ORD).astype("datetime64[D]")
