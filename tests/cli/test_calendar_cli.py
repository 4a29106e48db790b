"""`tthc calendar` and `tthc deadline`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tthc_engine.cli import main


def test_calendar_text(capsys: pytest.CaptureFixture[str]) -> None:
    """The year's swaps and holidays are listed with sources and provenance."""
    assert main(["calendar", "2025"]) == 0
    out = capsys.readouterr().out
    assert "2025-04-26 Sat làm việc" in out and "2025-05-02 Fri nghỉ" in out and "# holidays" in out


def test_calendar_json_with_overlay(capsys: pytest.CaptureFixture[str], repo_root: Path) -> None:
    """JSON output carries the days and the overlays with their digests."""
    assert (
        main(
            [
                "calendar",
                "2025",
                "--format",
                "json",
                "--overlay",
                str(repo_root / "calendars/quang-tri.yaml"),
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert any(d["kind"] == "suspension" for d in data["days"])
    assert len(data["provenance"]["overlays"]) == 2


def test_deadline_across_tet(capsys: pytest.CaptureFixture[str]) -> None:
    """The worked example of the issue: 3 working days from Friday 24/1/2025 16:30."""
    assert main(["deadline", "--received", "2025-01-24T16:30+07:00", "--working-days", "3"]) == 0
    out = capsys.readouterr().out
    assert "2025-02-05T17:00:00+07:00" in out and "29 Tết" in out


def test_deadline_json_same_day(capsys: pytest.CaptureFixture[str]) -> None:
    """Same day with a cut-off, as JSON."""
    args = [
        "deadline",
        "--received",
        "2025-01-24T15:30+07:00",
        "--same-day",
        "--cutoff",
        "15:00",
        "--format",
        "json",
    ]
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out)["due_at"] == "2025-02-03T17:00:00+07:00"


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["deadline", "--received", "2025-01-24T16:30", "--working-days", "3"], id="naive"),
        pytest.param(["deadline", "--received", "yesterday", "--working-days", "3"], id="not-iso"),
        pytest.param(["deadline", "--received", "2025-01-24T16:30+07:00"], id="no-unit"),
        pytest.param(
            ["deadline", "--received", "2025-01-24T16:30+07:00", "--working-days", "-1"], id="negative"
        ),
        pytest.param(
            [
                "deadline",
                "--received",
                "2025-01-24T16:30+07:00",
                "--working-days",
                "3",
                "--overlay",
                "nope.yaml",
            ],
            id="missing-overlay",
        ),
        pytest.param(["calendar", "1900"], id="year-out-of-range"),
    ],
)
def test_bad_input_exits_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Bad input exits 2 with a message on stderr."""
    assert main(args) == 2
    assert capsys.readouterr().err.strip()
