"""Calendar-day extensions lengthen the period itself: Law on Judicial Records 2009 Art. 48(2) gives
"không quá 15 ngày" in total, and Civil Code 2015 Art. 148 moves only the END of that period to the
next working day — the 10-day period's own shifted end is not a new starting point."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from review_helpers import EVERYONE, vn

import tthc_engine as te
from tthc_engine.definition.model import Duration, Extension, Guard

LOOKUP = Extension(
    "extended_lookup",
    Duration(5, "calendar_days"),
    when=Guard(schema={"type": "object", "required": ["extended_lookup"]}),
)
DEADLINE = te.Deadline(10, "calendar_days", extensions=(LOOKUP,))

CASES = [
    # received; day 15 = received + 15 days; expected due (end of day 15 or of the next working day)
    pytest.param("2025-08-21 09:00", "2025-09-05 17:00", id="day10-sunday-then-national-day-day15-friday"),
    pytest.param("2026-02-04 09:00", "2026-02-23 17:00", id="day15-in-tet-2026-next-working-day"),
    pytest.param("2026-01-30 09:00", "2026-02-23 17:00", id="day15-saturday-before-tet-2026"),
    pytest.param("2025-10-01 09:00", "2025-10-16 17:00", id="ordinary-thursday"),
]


@pytest.mark.parametrize(("received", "due"), CASES)
def test_compute_due_counts_the_extension_into_the_period(
    calendar: te.WorkCalendar, received: str, due: str
) -> None:
    """10 + 5 calendar days end 15 days after receipt (Art. 148 applied once, at the end)."""
    result = te.compute_due(calendar, DEADLINE, vn(received), data={"extended_lookup": True})
    assert result.due_at == vn(due)
    assert result.applied_extensions == ("extended_lookup",)


@pytest.mark.parametrize(("received", "due"), CASES)
def test_judicial_record_dossier_with_extended_lookup(
    make_engine: Callable[..., te.Engine], received: str, due: str
) -> None:
    """The shipped judicial-record procedure: an extended look-up is due 15 days after receipt."""
    engine = make_engine()
    d = engine.submit("2.000488", actor=EVERYONE, at=vn(received), data={"extended_lookup": True})
    d = engine.act(d.id, "accept", actor=EVERYONE, at=vn(received))
    assert d.due_at == vn(due)


@pytest.mark.parametrize(("received", "due"), CASES)
def test_restart_keeps_the_extension_inside_the_period(
    calendar: te.WorkCalendar, received: str, due: str
) -> None:
    """After a supplement the 15 days count again from the complete dossier, shifted once."""
    clock = te.Clock.start(calendar, DEADLINE, vn("2025-06-02 09:00"), data={"extended_lookup": True})
    clock = clock.pause(calendar, vn("2025-06-03 09:00")).restart(calendar, vn(received))
    assert clock.due_at == vn(due)


@pytest.mark.parametrize(("received", "due"), CASES)
def test_extend_action_on_a_calendar_day_clock(calendar: te.WorkCalendar, received: str, due: str) -> None:
    """An `extend` effect of 5 calendar days on a 10-calendar-day clock also ends 15 days after receipt."""
    manual = Extension("extended_lookup", Duration(5, "calendar_days"))
    clock = te.Clock.start(calendar, te.Deadline(10, "calendar_days", extensions=(manual,)), vn(received))
    assert clock.extend(calendar, manual).due_at == vn(due)
