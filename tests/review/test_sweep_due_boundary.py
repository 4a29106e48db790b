"""The sweep's overdue decision agrees with `progress` and `classify`: a dossier is within time up to
and including its due moment (finished at 17:00:00 on the due date is on time, Circular 01/2018/TT-VPCP
Art. 13), so the overdue notice comes only after it, once."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from review_helpers import EVERYONE, vn

import tthc_engine as te

DATA = {"household_name": "Hộ Bình An", "business_lines": ["bán lẻ"], "household_registration_number": "1"}


def _processing(engine: te.Engine) -> te.Dossier:
    """Business household (3 working days) received Fri 15/8/2025 10:00 → due Wed 20/8 17:00."""
    d = engine.submit("1.001612", actor=EVERYONE, at=vn("2025-08-15 10:00"), data=DATA)
    d = engine.act(d.id, "accept", actor=EVERYONE, at=vn("2025-08-15 10:00"))
    d = engine.act(d.id, "assign", actor=EVERYONE, at=vn("2025-08-15 10:00"))
    assert d.due_at == vn("2025-08-20 17:00")
    return d


def test_no_overdue_at_the_due_moment(make_engine: Callable[..., te.Engine]) -> None:
    """A sweep at exactly the due moment records no overdue; the dossier can still finish on time."""
    engine = make_engine()
    d = _processing(engine)
    engine.sweep(vn("2025-08-19 17:00"))  # the warning (2 working days before)
    report = engine.sweep(vn("2025-08-20 17:00"))
    assert report.overdue == ()
    assert d.due_at is not None and te.progress(d.due_at, vn("2025-08-20 17:00")) == "within"
    d = engine.act(d.id, "submit_for_signature", actor=EVERYONE, at=vn("2025-08-20 17:00"))
    d = engine.act(d.id, "approve", actor=EVERYONE, at=vn("2025-08-20 17:00"))
    assert d.timeliness == "on_time"
    assert [e.kind for e in engine.history(d.id)].count("overdue") == 0


@pytest.mark.parametrize(
    "sweeps",
    [
        pytest.param(["2025-08-20 17:00", "2025-08-20 17:00:01", "2025-08-21 07:30"], id="at-then-after"),
        pytest.param(["2025-08-20 17:00:01", "2025-08-20 17:00:01", "2025-08-22 09:00"], id="after-repeated"),
    ],
)
def test_overdue_once_just_after_the_due_moment(
    make_engine: Callable[..., te.Engine], sweeps: list[str]
) -> None:
    """The first sweep after the due moment records overdue, exactly once over several sweeps."""
    engine = make_engine()
    d = _processing(engine)
    overdue = [engine.sweep(vn(s)).overdue for s in sweeps]
    assert sum(len(o) for o in overdue) == 1
    assert next(o for o in overdue if o) == (d.id,)
    kinds = [e.kind for e in engine.history(d.id)]
    assert kinds.count("overdue") == 1 and kinds.count("warning") <= 1


def test_warning_due_at_the_due_moment_is_still_a_warning(make_engine: Callable[..., te.Engine]) -> None:
    """A first sweep exactly at the due moment sends the pending warning, not an overdue notice."""
    engine = make_engine()
    d = _processing(engine)
    report = engine.sweep(vn("2025-08-20 17:00"))
    assert report.warnings == (d.id,) and report.overdue == ()
    assert engine.sweep(vn("2025-08-20 17:00")).warnings == ()
