"""Engine.report: the columns reconcile, groups add up to the totals, periods cut where calendars
do, each dossier is counted as it stood at the end, and every store gives the same report."""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

import pytest

import tthc_engine as te
from tthc_engine.errors import ConfigurationError, DataError
from tthc_engine.reporting.report import COLUMNS, GROUPS, Processing, sub_periods

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "stores"))
import lives

VN = lives.VN
LIVES = lives.random_lives(random.Random(2021), 400, dt.datetime(2021, 1, 4, tzinfo=VN), 330)
EXCLUSIVE = ("early", "on_time", "late", "refused", "withdrawn", "cancelled", "within", "overdue")


@pytest.fixture(scope="module")
def engine() -> te.Engine:
    made = lives.engine_on()
    lives.drive(made, LIVES)
    return made


def test_every_dossier_is_in_exactly_one_column(engine: te.Engine) -> None:
    for start, end in (
        ("2021-01-01", "2021-04-01"),
        ("2021-04-01", "2021-07-01"),
        ("2021-01-01", "2022-01-01"),
    ):
        t = engine.report(start, end).totals
        assert t.total == t.carried_over + t.received == sum(t.value(c) for c in EXCLUSIVE)
        assert t.paused <= t.in_progress
        assert t.direct + t.postal + t.online == t.total
        assert t.early_appointment + t.on_time_appointment + t.late_appointment == t.resolved
        assert t.within_appointment + t.overdue_appointment == t.in_progress
    q2 = engine.report("2021-04-01", "2021-07-01").totals
    assert q2.carried_over > 0 and q2.received > 0


@pytest.mark.parametrize("group_by", [g for g in GROUPS if g not in ("month", "quarter", "half", "year")])
def test_groups_add_up_to_the_totals(engine: te.Engine, group_by: str) -> None:
    report = engine.report("2021-02-01", "2021-08-01", group_by=group_by)  # type: ignore[arg-type]
    assert len(report.rows) >= 2
    for column in COLUMNS:
        assert sum(r.counts.value(column.name) for r in report.rows) == report.totals.value(column.name)
    assert sum(r.counts.processing.count for r in report.rows) == report.totals.processing.count


def test_a_report_counts_what_was_known_at_its_end() -> None:
    engine = lives.engine_on()
    at = dt.datetime(2021, 3, 31, 9, tzinfo=VN)
    d = engine.submit(lives.HOUSEHOLD, actor=lives.ALL, at=at)
    d = engine.act(d.id, "accept", actor=lives.ALL, at=at)
    march = engine.report("2021-03-01", "2021-04-01").totals
    assert (march.received, march.within, march.resolved) == (1, 1, 0)
    engine.act(d.id, "assign", actor=lives.ALL, at=at + dt.timedelta(days=1))
    engine.act(d.id, "submit_for_signature", actor=lives.ALL, at=at + dt.timedelta(days=1, hours=1),
               data={"household_name": "Hộ A", "business_lines": ["4711"]})  # fmt: skip
    engine.act(d.id, "approve", actor=lives.ALL, at=at + dt.timedelta(days=1, hours=2),
               data={"household_registration_number": "H-1"})  # fmt: skip
    assert engine.report("2021-03-01", "2021-04-01").totals == march  # March's report is unchanged
    april = engine.report("2021-04-01", "2021-05-01").totals
    assert (april.carried_over, april.received, april.early) == (1, 0, 1)
    assert engine.report("2021-05-01", "2021-06-01").totals.total == 0  # finished before May


def test_every_store_gives_the_same_report(engine: te.Engine, tmp_path: Path) -> None:
    sqlite = lives.engine_on(te.SQLiteStore(tmp_path / "r.db"))
    lives.drive(sqlite, LIVES)
    for group_by in (None, "agency", "field", "quarter"):
        a = engine.report("2021-01-01", "2021-10-01", group_by=group_by)  # type: ignore[arg-type]
        b = sqlite.report("2021-01-01", "2021-10-01", group_by=group_by)  # type: ignore[arg-type]
        assert a.to_dict() == b.to_dict()


def test_sub_periods_cut_at_calendar_boundaries() -> None:
    period = te.Period(dt.datetime(2021, 2, 15, tzinfo=VN), dt.datetime(2021, 10, 1, tzinfo=VN))
    quarters = sub_periods(period, 3)
    assert [(q.start.date(), q.end.date()) for q in quarters] == [
        (dt.date(2021, 2, 15), dt.date(2021, 4, 1)), (dt.date(2021, 4, 1), dt.date(2021, 7, 1)),
        (dt.date(2021, 7, 1), dt.date(2021, 10, 1)),
    ]  # fmt: skip
    months = sub_periods(te.Period(dt.datetime(2024, 1, 1, tzinfo=VN), dt.datetime(2024, 4, 1, tzinfo=VN)), 1)
    assert [m.end.date() for m in months] == [dt.date(2024, 2, 1), dt.date(2024, 3, 1), dt.date(2024, 4, 1)]
    assert all(m.start.utcoffset() == dt.timedelta(hours=7) for m in months)


def test_processing_time_statistics_are_exact() -> None:
    # 480 working minutes a day: 1, 2, 2, 3 and 10 days
    p = Processing.of({480: 1, 960: 2, 1440: 1, 4800: 1})
    assert (p.count, p.mean_days, p.median_days, p.p90_days) == (5, 3.6, 2.0, 10.0)
    assert Processing.of({}) == Processing(0, None, None, None)


def test_periods_and_groups_are_checked(engine: te.Engine) -> None:
    with pytest.raises(ConfigurationError, match="end must be after the start"):
        engine.report("2021-05-01", "2021-05-01")
    with pytest.raises(ConfigurationError, match="group by one of"):
        engine.report("2021-01-01", "2021-02-01", group_by="ward")  # type: ignore[arg-type]
    with pytest.raises(DataError, match="YYYY-MM-DD"):
        engine.report("2021-13-01", "2021-02-01")
    report = engine.report(end="2021-06-01")
    assert report.start == dt.datetime(2021, 1, 1, tzinfo=engine.calendar.tz)


def test_decision_766_indicators_keep_their_raw_numbers(engine: te.Engine) -> None:
    t = engine.report("2021-01-01", "2022-01-01").totals
    ind = t.indicators
    assert set(ind) == {"progress", "online_uptake", "online_payment", "digitisation", "satisfaction"}
    assert ind["progress"] == {"numerator": t.progress_numerator, "denominator": t.total,
                               "rate": t.progress_rate, "host_supplied": False}  # fmt: skip
    assert 0 < ind["online_uptake"]["numerator"] <= t.online  # only online dossiers with an electronic result
    assert ind["satisfaction"]["denominator"] == 2 * t.rated > 0
    assert all(i["host_supplied"] for name, i in ind.items() if name != "progress")


def test_feedback_after_the_end_is_not_known_at_the_end() -> None:
    engine = lives.engine_on()
    at = dt.datetime(2021, 3, 1, 9, tzinfo=VN)
    d = engine.submit(lives.HOUSEHOLD, actor=lives.ALL, at=at)
    d = engine.act(d.id, "accept", actor=lives.ALL, at=at)
    engine.record_feedback(d.id, te.Feedback(digitised=True), actor=lives.ALL, at=at.replace(month=4))
    assert engine.report("2021-03-01", "2021-04-01").totals.digitised == 0
    assert engine.report("2021-03-01", "2021-05-01").totals.digitised == 1
