"""The table this project starts from, rebuilt through the engine: a district one-stop desk, the first
nine months of 2021 — 4,447 dossiers received; 4,040 resolved early, 47 on time, 154 late, 206 in
progress (the columns add up to the total).

Every dossier is driven through the public engine on the shipped business-household procedure
(1.001612, 3 working days, a district agency): received at the desk, online or by post, processed
and approved early, on its due day or after it; the last ones received in the last days of September
are still in progress on 1 October. The report of [2021-01-01, 2021-10-01) must give the same table.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import tthc_engine as te

VN = dt.timezone(dt.timedelta(hours=7))
ALL = te.Actor("cb-1", {"reception", "specialist", "leader"})
TABLE = {"early": 4040, "on_time": 47, "late": 154, "in_progress": 206}
RECEIVED = 4447


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), VN)


def _drive(engine: te.Engine) -> None:
    cal = engine.calendar
    days = [d for d in (dt.date(2021, 1, 4) + dt.timedelta(n) for n in range(264)) if cal.is_working_day(d)]
    finished = [kind for kind in ("early", "on_time", "late") for _ in range(TABLE[kind])]
    last = [d for d in days if d <= dt.date(2021, 9, 24)]
    for i, kind in enumerate(finished):
        day = last[i * len(last) // len(finished)]
        d = _receive(engine, i, day)
        due_day = cal.add_working_days(day, 3)  # 3 working days from the day after receipt
        finish = {
            "early": _at(cal.add_working_days(day, 1), 9),
            "on_time": _at(due_day, 10),
            "late": _at(cal.add_working_days(due_day, 1), 9),
        }[kind]
        d = engine.act(d.id, "submit_for_signature", actor=ALL, at=finish - dt.timedelta(hours=1))
        d = engine.act(d.id, "approve", actor=ALL, at=finish, data={"household_registration_number": f"H{i}"})
        if i % 2:
            engine.act(d.id, "return_result", actor=ALL, at=finish + dt.timedelta(hours=2))
    for j in range(TABLE["in_progress"]):
        _receive(engine, len(finished) + j, dt.date(2021, 9, 29 + j % 2))


def _receive(engine: te.Engine, i: int, day: dt.date) -> te.Dossier:
    channel = ("direct", "online", "direct", "postal")[i % 4]
    at = _at(day, 8, i % 50)
    d = engine.submit(
        "1.001612", actor=ALL, at=at, channel=channel,
        data={"household_name": f"Hộ kinh doanh số {i}", "business_lines": ["4711"]},
    )  # fmt: skip
    d = engine.act(d.id, "accept", actor=ALL, at=at + dt.timedelta(minutes=5))
    return engine.act(d.id, "assign", actor=ALL, at=at + dt.timedelta(minutes=30))


def test_the_district_nine_month_table(procedures_dir: Path) -> None:
    engine = te.Engine(te.Catalog.load(procedures_dir))
    _drive(engine)
    report = engine.report("2021-01-01", "2021-10-01")
    t = report.totals
    assert (t.carried_over, t.received, t.total) == (0, RECEIVED, RECEIVED)
    assert (t.early, t.on_time, t.late, t.in_progress) == (4040, 47, 154, 206)
    assert t.early + t.on_time + t.late + t.in_progress == t.total  # the columns add up
    assert (t.refused, t.withdrawn, t.cancelled, t.overdue) == (0, 0, 0, 0)
    assert t.on_time_rate == round(100 * (4040 + 47) / (4040 + 47 + 154), 1)
    assert (t.direct, t.online, t.postal) == (2224, 1112, 1111)
    # by month: each month's report counts its own receipts and carries over the dossiers in
    # progress at its start; September ends with the 206 still in progress
    months = engine.report("2021-01-01", "2021-10-01", group_by="month").rows
    assert months[0].label == "Tháng 01/2021" and len(months) == 9
    assert sum(r.counts.received for r in months) == RECEIVED
    assert months[-1].counts.in_progress == 206
    for before, after in itertools.pairwise(months):
        assert after.counts.carried_over == before.counts.in_progress
