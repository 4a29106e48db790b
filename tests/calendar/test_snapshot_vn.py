"""Snapshot of every non-standard Vietnamese working-calendar day 2020–2030.

A `holidays` upgrade or an overlay change that moves a day shows up as a reviewable diff of
tests/calendar/snapshots/vn-working-days-2020-2030.txt. To accept a change, regenerate it with
    TTHC_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/calendar/test_snapshot_vn.py
and review `git diff` before committing.
"""

from __future__ import annotations

import os
from pathlib import Path

import tthc_engine as te

SNAPSHOT = Path(__file__).parent / "snapshots" / "vn-working-days-2020-2030.txt"


def render(cal: te.WorkCalendar) -> str:
    lines = [
        "# Non-standard days of the Vietnamese civil-service calendar (WorkCalendar.vietnam()).",
        "# date state kind name (vi) / name (en); regenerate: TTHC_UPDATE_SNAPSHOTS=1 pytest this test",
    ]
    for year in range(2020, 2031):
        mark = " (provisional)" if cal.provenance.is_provisional(year) else ""
        lines.append(f"## {year}{mark}")
        for d in cal.days_in_year(year):
            state = "work" if d.working else "off"
            lines.append(f"{d.date.isoformat()} {d.date:%a} {state} {d.kind} {d.name} / {d.name_en}")
    return "\n".join(lines) + "\n"


def test_snapshot_2020_2030() -> None:
    """The non-standard days 2020–2030 match the reviewed snapshot."""
    text = render(te.WorkCalendar.vietnam())
    if os.environ.get("TTHC_UPDATE_SNAPSHOTS") == "1" or not SNAPSHOT.exists():
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_text(text, encoding="utf-8")
    expected = SNAPSHOT.read_text(encoding="utf-8")
    assert text == expected, "calendar changed: review, then regenerate with TTHC_UPDATE_SNAPSHOTS=1"
