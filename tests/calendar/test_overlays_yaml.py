"""Calendar overlays: the shipped files, layering, and errors that point at file and line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import tthc_engine as te

D = dt.date
ROOT = Path(__file__).resolve().parents[2]
QUANG_TRI = ROOT / "calendars" / "quang-tri.yaml"


@pytest.fixture(scope="module")
def qt() -> te.WorkCalendar:
    return te.WorkCalendar.vietnam([QUANG_TRI])


def test_shipped_overlays_load() -> None:
    """The national and example province overlays validate against the schema."""
    for path in (ROOT / "calendars" / "vietnam.yaml", QUANG_TRI):
        overlay = te.load_overlay(path)
        assert overlay.name and len(overlay.sha256) == 64


def test_province_layer(qt: te.WorkCalendar) -> None:
    """Suspensions, closures, seasonal hours and a reception-only Saturday desk apply."""
    assert qt.day_info(D(2025, 11, 12)).kind == "suspension" and not qt.is_working_day(D(2025, 11, 12))
    assert not qt.is_working_day(D(2025, 10, 27))
    assert qt.start_of_working_day(D(2025, 6, 2)).time() == dt.time(7, 0)
    assert qt.start_of_working_day(D(2025, 12, 1)).time() == dt.time(7, 30)
    sat = qt.day_info(D(2025, 6, 7))
    assert not sat.working and sat.reception_sessions == ("07:30-11:30",)
    assert len(qt.provenance.overlays) == 2 and qt.digest != te.WorkCalendar.vietnam().digest


def test_suspension_stops_the_clock(qt: te.WorkCalendar) -> None:
    """A deadline running into a suspension is pushed past it."""
    national = te.WorkCalendar.vietnam()
    start = D(2025, 11, 7)
    assert national.add_working_days(start, 1) == D(2025, 11, 10)
    assert qt.add_working_days(start, 1) == D(2025, 11, 24)


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "bad.yaml"
    p.write_text(text, encoding="utf-8")
    return p


BAD = [
    pytest.param("calendar_overlay: 1\nname: x\nlevel: city\n", "TC101", 3, id="bad-level"),
    pytest.param(
        "calendar_overlay: 1\nname: x\nlevel: agency\nnon_working_days:\n"
        "  - name: a\n    date: '2025-01-02'\n",
        "TC101",
        5,
        id="missing-notice",
    ),
    pytest.param(
        "calendar_overlay: 1\nname: x\nlevel: agency\nworking_days:\n"
        "  - name: a\n    notice: n\n    date: 2025-02-30\n",
        "TC102",
        7,
        id="impossible-date",
    ),
    pytest.param(
        "calendar_overlay: 1\nname: x\nlevel: agency\nsuspensions:\n"
        "  - {name: a, notice: n, from: 2025-03-10,"
        " to: 2025-03-01}\n",
        "TC103",
        5,
        id="range-backwards",
    ),
    pytest.param(
        "calendar_overlay: 1\nname: x\nlevel: agency\noffice_hours:\n  - name: a\n    notice: n\n"
        "    sessions: ['13:30-17:00', '07:30-11:30']\n",
        "TC104",
        7,
        id="sessions-out-of-order",
    ),
    pytest.param("calendar_overlay: 1\nname: x\nname: y\nlevel: agency\n", "TC105", 3, id="duplicate-key"),
    pytest.param("calendar_overlay: 1\nname: [x\n", "TC100", 3, id="yaml-syntax"),
]


@pytest.mark.parametrize(("text", "code", "line"), BAD)
def test_errors_point_at_file_and_line(tmp_path: Path, text: str, code: str, line: int) -> None:
    """Each invalid overlay raises CalendarError with a Problem at the right file and line."""
    path = write(tmp_path, text)
    with pytest.raises(te.CalendarError) as info:
        te.load_overlay(path)
    problems = info.value.problems
    assert any(p.code == code and p.line == line and p.path == str(path) for p in problems), problems
    assert str(path) in str(info.value)
