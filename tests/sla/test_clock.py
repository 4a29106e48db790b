"""Clock: run, pause, resume, restart, extend, reschedule, and its JSON form."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import tthc_engine as te
from tthc_engine.definition.model import Extension

TZ = dt.timezone(dt.timedelta(hours=7))


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=TZ)


@pytest.fixture(scope="module")
def cal() -> te.WorkCalendar:
    return te.WorkCalendar.vietnam()


@pytest.fixture
def clock(cal: te.WorkCalendar) -> te.Clock:
    return te.Clock.start(cal, te.Deadline(3, "working_days"), at(2025, 1, 24, 16, 30), channel="direct")


def test_start(clock: te.Clock) -> None:
    """A new clock runs with the legal due moment of compute_due."""
    assert clock.running and clock.due_at == at(2025, 2, 5, 17) and clock.paused_hours == 0


def test_pause_extends_by_working_time(cal: te.WorkCalendar, clock: te.Clock) -> None:
    """A pause of one working day moves the due moment one working day later."""
    paused = clock.pause(cal, at(2025, 2, 3, 7, 30))
    assert not paused.running
    resumed = paused.resume(cal, at(2025, 2, 4, 7, 30))
    assert resumed.paused_hours == pytest.approx(8.0)
    assert resumed.due_at == at(2025, 2, 6, 17)


def test_pause_outside_hours_costs_nothing(cal: te.WorkCalendar, clock: te.Clock) -> None:
    """Pausing over Tết (no working time) leaves the due moment where it was."""
    r = clock.pause(cal, at(2025, 1, 24, 17, 30)).resume(cal, at(2025, 2, 3, 7, 0))
    assert r.due_at == clock.due_at and r.paused_hours == 0


@pytest.mark.parametrize(
    "misuse",
    [
        pytest.param(
            lambda c, k: k.pause(c, at(2025, 2, 3, 8)).pause(c, at(2025, 2, 3, 9)), id="pause-twice"
        ),
        pytest.param(lambda c, k: k.resume(c, at(2025, 2, 3, 8)), id="resume-running"),
        pytest.param(
            lambda c, k: k.pause(c, at(2025, 2, 3, 9)).resume(c, at(2025, 2, 3, 8)), id="resume-before"
        ),
        pytest.param(
            lambda c, k: k.reschedule(at(2025, 2, 10, 17)).reschedule(at(2025, 2, 11, 17)),
            id="reschedule-twice",
        ),
        pytest.param(lambda c, k: k.reschedule(at(2025, 2, 4, 17)), id="reschedule-earlier"),
    ],
)
def test_misuse_is_clock_error(cal: te.WorkCalendar, clock: te.Clock, misuse: object) -> None:
    """Driving a clock wrongly raises ClockError (a TthcError)."""
    with pytest.raises(te.ClockError):
        misuse(cal, clock)  # type: ignore[operator]


def test_restart_from_zero(cal: te.WorkCalendar, clock: te.Clock) -> None:
    """Decree 61/2018 Art. 19(4): the time counts again from receipt of the complete dossier."""
    paused = clock.pause(cal, at(2025, 2, 3, 9))
    restarted = paused.restart(cal, at(2025, 2, 10, 9))
    assert restarted.running and restarted.restarts == 1 and restarted.paused_hours == 0
    assert restarted.due_at == at(2025, 2, 13, 17)
    assert restarted.received_at == clock.received_at


def test_extend_and_keep_on_restart(cal: te.WorkCalendar, clock: te.Clock) -> None:
    """An extension moves the due moment and survives a restart; a second one of the same name fails."""
    ext = Extension("verification", te.Duration(2, "working_days"))
    extended = clock.extend(cal, ext)
    assert extended.due_at == at(2025, 2, 7, 17) and extended.extensions == ("verification",)
    with pytest.raises(te.ClockError):
        extended.extend(cal, ext)
    assert extended.restart(cal, at(2025, 2, 10, 9)).due_at == at(2025, 2, 17, 17)


def test_reschedule_keeps_legal_due(clock: te.Clock) -> None:
    """Art. 19(9): the appointment moves once; the legal due moment does not."""
    r = clock.reschedule(at(2025, 2, 10, 17))
    assert r.appointment == at(2025, 2, 10, 17) and r.due_at == clock.due_at
    assert clock.appointment == clock.due_at


def test_round_trip_json(cal: te.WorkCalendar, clock: te.Clock) -> None:
    """to_dict is JSON-safe and from_dict restores an equal clock."""
    k = clock.extend(cal, Extension("x", te.Duration(1, "working_days"))).pause(cal, at(2025, 2, 4, 9))
    data = json.loads(json.dumps(k.to_dict()))
    assert te.Clock.from_dict(data) == k
    with pytest.raises(te.ClockError):
        te.Clock.from_dict({**data, "format": 99})


def test_json_form_writes_amounts_as_floats(cal: te.WorkCalendar) -> None:
    """Regression: a deadline built with an int amount wrote `3` at receipt and `3.0` after the
    first change (a JSON round trip); the clock's JSON form is now one shape throughout."""
    ext = te.Deadline(3, "working_days", extensions=(Extension("x", te.Duration(5, "working_days")),))
    clock = te.Clock.start(cal, ext, at(2025, 8, 4, 9, 0))
    extended = clock.extend(cal, ext.extensions[0])
    assert clock.to_dict()["amount"] == 3.0 and isinstance(clock.to_dict()["amount"], float)
    assert extended.to_dict()["extensions"] == [{"name": "x", "amount": 5.0, "unit": "working_days"}]
    assert te.Clock.from_dict(extended.to_dict()).to_dict() == extended.to_dict()


def test_changes_from_names_only_the_keys_that_moved(cal: te.WorkCalendar) -> None:
    """changes_from gives the audit's `clock.<key>` changes: a pause moves paused_at only."""
    clock = te.Clock.start(cal, te.Deadline(3, "working_days"), at(2025, 8, 4, 9, 0))
    paused = clock.pause(cal, at(2025, 8, 5, 9, 0))
    assert paused.changes_from(clock) == {"paused_at": {"from": None, "to": "2025-08-05T09:00:00+07:00"}}
    resumed = paused.resume(cal, at(2025, 8, 6, 9, 0))
    assert set(resumed.changes_from(paused)) == {"due_at", "paused_at", "paused_hours"}
    assert clock.changes_from(clock) == {}


def test_to_dict_and_the_key_table_agree(cal: te.WorkCalendar) -> None:
    """Clock.to_dict (written out for speed) and the key table changes_from uses render alike."""
    from tthc_engine.sla.clock import _KEYS

    ext = te.Deadline(3, "working_days", extensions=(Extension("x", te.Duration(5, "working_days")),))
    clock = te.Clock.start(cal, ext, at(2025, 8, 4, 9, 0), channel="online").extend(cal, ext.extensions[0])
    clock = clock.pause(cal, at(2025, 8, 5, 9, 0)).reschedule(at(2025, 9, 1, 9, 0))
    assert clock.to_dict() == {"format": 1, **{key: render(clock) for key, _f, render in _KEYS}}
