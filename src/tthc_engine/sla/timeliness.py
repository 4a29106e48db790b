"""Timeliness of a dossier against its legal due moment (Circular 01/2018/TT-VPCP Art. 13–14).

Finished on a calendar date before the due date → early (trước hạn); on the due date and not after the
due moment → on time (đúng hạn); after the due moment → late (quá hạn). Dates are compared in the due
moment's own time zone, so "the same day" means the same day where the deadline was set.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from tthc_engine.timeutil import aware

Timeliness = Literal["early", "on_time", "late"]
Progress = Literal["within", "overdue"]


def classify(due_at: dt.datetime, finished_at: dt.datetime) -> Timeliness:
    return classify_aware(aware(due_at, "due_at"), aware(finished_at, "finished_at"))


def classify_aware(due: dt.datetime, finished: dt.datetime) -> Timeliness:
    """`classify` for moments already known to be aware (the engine's step hand-overs)."""
    if finished > due:
        return "late"
    if finished.astimezone(due.tzinfo).date() < due.date():
        return "early"
    return "on_time"


def progress(due_at: dt.datetime, now: dt.datetime) -> Progress:
    """For unfinished dossiers: still within the time (up to and including the due moment) or overdue."""
    return "within" if aware(now, "now") <= aware(due_at, "due_at") else "overdue"
