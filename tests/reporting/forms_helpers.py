"""Drive a dossier of any shipped procedure to the act that issues a form (tests of reporting/forms)."""

from __future__ import annotations

import collections
import datetime as dt
from collections.abc import Iterator

import tthc_engine as te

TZ = dt.timezone(dt.timedelta(hours=7))
DAYS = (dt.date(2025, 8, 4), dt.date(2025, 3, 3), dt.date(2024, 3, 4), dt.date(2022, 3, 7))
NOTE = "Thiếu bản sao giấy tờ chứng minh nơi cư trú; Tờ khai chưa ghi ngày"
APPLICANT = {"name": "Nguyễn Thị Minh Anh", "address": "12 Lê Lợi, Huế", "phone": "0905 000 111"}


def day_for(catalog: te.Catalog, proc: te.Procedure) -> dt.date:
    """A Monday on which `proc` is the version in force."""
    for day in DAYS:
        if proc.in_force(day) and catalog.in_force(proc.code, day).version == proc.version:
            return day
    raise AssertionError(f"no test day for {proc.code} {proc.version}")


def path_to(proc: te.Procedure, wanted: str | None, final_status: tuple[int, ...] = ()) -> list[str] | None:
    """The shortest list of action names from the initial state that ends with an action issuing
    `wanted`, or (with `final_status`) that ends in a final state of one of those public statuses
    after the receipt (a state whose clock runs)."""
    start = (proc.initial, False)
    queue: collections.deque[tuple[tuple[str, bool], list[str]]] = collections.deque([(start, [])])
    seen = {start}
    while queue:
        (state, received), path = queue.popleft()
        for action in proc.actions_from(state):
            target = proc.state(action.target)
            got = received or proc.state(state).clock == "runs"
            if wanted is not None and action.issues_form == wanted:
                return [*path, action.name]
            if final_status and target.final and got and target.public_status in final_status:
                return [*path, action.name]
            node = (action.target, got)
            if node not in seen and not target.final:
                seen.add(node)
                queue.append((node, [*path, action.name]))
    return None


def run(engine: te.Engine, proc: te.Procedure, path: list[str], day: dt.date) -> Iterator[te.Dossier]:
    """Submit a dossier of `proc` on `day` and take `path`, yielding the record after each act."""
    everyone = te.Actor("officer-1", set(proc.roles))
    at = dt.datetime.combine(day, dt.time(8, 0), TZ)
    channel = "direct" if "direct" in proc.channels else proc.channels[0]
    d = engine.submit(proc.code, actor=everyone, at=at, channel=channel, data={"applicant": APPLICANT})
    for i, name in enumerate(path, start=1):
        action = proc.action(name)
        data: dict[str, object] = {}
        for field in action.requires:
            data[field] = (at + dt.timedelta(days=40)).isoformat() if "appointment" in field else "x"
        d = engine.act(
            d.id, name, actor=everyone, at=at + dt.timedelta(minutes=10 * i),
            note=NOTE, data=data or None,
        )  # fmt: skip
        yield d
