"""`tthc deadline --received DAY`: a day is not a moment; the suggested fix is one the command accepts.

`--received 2025-01-24` used to suggest `2025-01-24+07:00`, which Python reads as 07:00 with no
offset and the command then refused again. The suggestion names a time of receipt and an offset.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import tthc_engine as te
from tthc_engine.cli import main

SUGGESTED = re.compile(r"e\.g\. '?([^\s']+)")


@pytest.mark.parametrize(
    ("given", "suggested"),
    [
        ("2025-01-24", "2025-01-24T08:00+07:00"),
        ("2025-01-24+07:00", "2025-01-24T08:00+07:00"),
        ("2025-01-24T16:30", "2025-01-24T16:30:00+07:00"),
    ],
)
def test_the_suggestion_is_accepted(given: str, suggested: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deadline", "--received", given, "--working-days", "3"]) == 2
    err = capsys.readouterr().err
    match = SUGGESTED.search(err)
    assert match is not None, err
    assert match.group(1) == suggested, err
    assert "--received" in err
    assert main(["deadline", "--received", match.group(1), "--working-days", "3"]) == 0
    assert "Hạn giải quyết (due): 2025-02-05T17:00:00+07:00" in capsys.readouterr().out


def test_engine_at_says_the_same(procedures_dir: Path) -> None:
    """The engine's `at=` goes through the same check: a day, not a moment (no midnight guessed)."""
    engine = te.Engine(te.Catalog.load(procedures_dir), calendar=te.WorkCalendar.vietnam())
    desk = te.Actor("desk-1", {"reception"})
    for day in ("2025-08-04", "2025-08-04+07:00"):
        with pytest.raises(te.NaiveDatetimeError) as caught:
            engine.submit("1.001612", actor=desk, at=day)
        text = str(caught.value)
        assert "a day, not a moment" in text and "'2025-08-04T08:00+07:00'" in text, text
    assert engine.submit("1.001612", actor=desk, at="2025-08-04T08:00+07:00").state
