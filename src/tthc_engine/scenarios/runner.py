"""Running scenario files against a catalog: each story on a fresh in-memory store, in simulated time.

A story drives the public engine (submit, act, sweep, available_actions, history) exactly as a host
application would; after each step its `expect:` is compared with the dossier, and every mismatch is
a positioned problem (TS3xx) at the line of the expectation that failed. A step that raises an error
the story did not expect stops that story (TS302): its later steps would only report its consequences.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from tthc_engine.calendar import WorkCalendar
from tthc_engine.definition import Catalog
from tthc_engine.diagnostics import Collector
from tthc_engine.errors import CalendarError, Problem, TthcError
from tthc_engine.records import Dossier
from tthc_engine.runtime import Actor, Engine, SweepReport
from tthc_engine.scenarios.reader import (
    MOMENT_EXPECTATIONS,
    Scenario,
    ScenarioFile,
    Step,
    discover_scenarios,
    read_scenarios,
)
from tthc_engine.stores import MemoryStore
from tthc_engine.timeutil import moment

_FIELDS = {
    "received": "received_at",
    "due": "due_at",
    "appointment": "appointment_at",
    "finished": "finished_at",
}
_PLAIN = ("state", "outcome", "timeliness", "number", "reference")
ERROR_KEY = "error"  # the expectation naming the error a step must raise


@attrs.frozen
class ScenarioResult:
    """One story's run: no problems means it went as written."""

    path: str
    name: str
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


@attrs.frozen
class TestReport:
    """What `tthc test` ran: the files, each story's result, the problems of files that did not read."""

    files: tuple[str, ...]
    results: tuple[ScenarioResult, ...]
    file_problems: tuple[Problem, ...] = ()

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self.file_problems + tuple(p for r in self.results for p in r.problems)

    @property
    def ok(self) -> bool:
        return not self.problems


def error_matches(exc: BaseException, expected: str) -> bool:
    """An expected error names the exception's class (or a base class) or a code of its problems."""
    if expected in (cls.__name__ for cls in type(exc).__mro__):
        return True
    return expected in (p.code for p in getattr(exc, "problems", ()))


class CalendarCache:
    """The national calendar with a story's overlays, built once per list of overlay files."""

    def __init__(self) -> None:
        self._built: dict[tuple[str, ...], WorkCalendar] = {}

    def get(self, overlays: Iterable[Path]) -> WorkCalendar:
        key = tuple(os.fspath(p) for p in overlays)
        if key not in self._built:
            self._built[key] = WorkCalendar.vietnam(overlays=key)
        return self._built[key]


class _Story:
    """The state of one running story: its engine (rebuilt when the calendar changes) and dossier."""

    def __init__(self, sf: ScenarioFile, story: Scenario, catalog: Catalog, calendars: CalendarCache) -> None:
        self.sf, self.story, self.catalog, self.calendars = sf, story, catalog, calendars
        self.collector = Collector(sf.path, sf.source_map)
        self.store = MemoryStore()
        self.now = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
        overlays = story.calendar if story.calendar is not None else sf.calendar
        self.engine = self._engine(self.calendars.get(sf.resolve(o) for o in overlays))
        self.dossier: Dossier | None = None
        self.swept: SweepReport | None = None

    def _engine(self, calendar: WorkCalendar) -> Engine:
        return Engine(self.catalog, calendar=calendar, store=self.store, clock=lambda: self.now)

    def fail(self, where: tuple[str | int, ...], code: str, message: str, hint: str | None = None) -> None:
        self.collector.report(where, code, f"[{self.story.name}] {message}", hint)

    def run(self) -> ScenarioResult:
        if not any(p.code == self.sf.procedure for p in self.catalog):
            self.fail(
                ("procedure",),
                "TS203",
                f"không có thủ tục {self.sf.procedure!r} trong danh mục / no such procedure in the catalog",
                "check the code, or pass --catalog DIR",
            )
        else:
            for step in self.story.steps:
                if not self.step(step):
                    break
        return ScenarioResult(self.sf.path, self.story.name, tuple(self.collector.problems))

    def step(self, step: Step) -> bool:
        """Run one step and check its expectations; False stops the story."""
        expected = step.expect.get(ERROR_KEY)
        if step.kind == "act" and self.dossier is None:
            self.fail(
                (*step.where, "act"),
                "TS205",
                "chưa có hồ sơ / no dossier has been lodged yet",
                "start the story with a lodge step",
            )
            return False
        try:
            self.perform(step)
        except TthcError as exc:
            if isinstance(exc, CalendarError) and (expected is None or not error_matches(exc, expected)):
                self.fail((*step.where, "calendar"), "TS204", _overlay_message(exc))
                return False
            if expected is None or not error_matches(exc, expected):
                text = str(exc).replace("\n", " ")
                self.fail(
                    (*step.where, step.kind),
                    "TS302",
                    f"bước '{step.title}' báo lỗi / raised {type(exc).__name__}: {text}",
                    f"fix the procedure or the step, or expect it: `expect: {{error: {type(exc).__name__}}}`",
                )
                return False
            wanted = step.expect.get("error_message")
            if wanted is not None and wanted not in str(exc):
                self.fail(
                    (*step.where, "expect", "error_message"),
                    "TS301",
                    f"error_message: thông báo lỗi không chứa / the message does not contain "
                    f"{wanted!r}: {exc}",
                )
        else:
            if expected is not None:
                self.fail(
                    (*step.where, "expect", ERROR_KEY),
                    "TS303",
                    f"bước '{step.title}' không báo lỗi "
                    f"{expected} như mong đợi / did not raise the expected {expected}",
                )
        self.check(step)
        return True

    def actor(self, name: str | None) -> Actor:
        return self.sf.actors[name] if name is not None else Actor("system", frozenset({"system"}))

    def perform(self, step: Step) -> None:
        if step.kind == "calendar":
            self.engine = self._engine(self.calendars.get(self.sf.resolve(o) for o in step.argument))
            return
        if step.kind == "sweep":
            self.now = moment(step.argument)
            self.swept = self.engine.sweep(self.now)
            if self.dossier is not None:
                self.dossier = self.engine.get(self.dossier.id)
            return
        assert step.at is not None
        self.now = moment(step.at)
        data = dict(step.data) if step.data is not None else None
        if step.kind == "lodge":
            self.dossier = None  # a new dossier: a failed lodgement leaves none to check
            self.dossier = self.engine.submit(
                self.sf.procedure,
                actor=self.actor(step.actor),
                at=self.now,
                channel=step.argument,
                data=data,
                note=step.note,
                agency=step.agency,
            )
            return
        assert self.dossier is not None  # step() checked it
        self.dossier = self.engine.act(
            self.dossier.id,
            step.argument,
            actor=self.actor(step.actor),
            at=self.now,
            note=step.note,
            data=data,
            agency=step.agency,
        )

    def check(self, step: Step) -> None:
        expect = {k: v for k, v in step.expect.items() if k not in ("error", "error_message")}
        if not expect:
            return
        sweep_keys = {"fired", "overdue"} & expect.keys()
        for key in sorted(sweep_keys):
            self._check_sweep(step, key, expect[key])
        rest = {k: v for k, v in expect.items() if k not in sweep_keys}
        if not rest:
            return
        if self.dossier is None:
            self.fail(
                (*step.where, "expect"),
                "TS205",
                "chưa có hồ sơ để kiểm tra / no dossier to check yet",
                "start the story with a lodge step",
            )
            return
        d = self.engine.get(self.dossier.id)
        for key, wanted in rest.items():
            got = self.actual(step, d, key)
            if not self.same(key, wanted, got):
                self.fail(
                    (*step.where, "expect", key),
                    "TS301",
                    f"{key}: {self.wanted(key, wanted)}, thực tế / got {self.show(got)}",
                )

    def wanted(self, key: str, value: Any) -> str:
        """What the story expected, in words: a moment in the calendar's zone, a pattern as a pattern."""
        if key in ("number_matches", "reference_matches"):
            return f"mong đợi khớp / expected to match {value!r}"
        if key in MOMENT_EXPECTATIONS and isinstance(value, str):
            return f"mong đợi / expected {self.show(moment(value))}"
        return f"mong đợi / expected {self.show(value)}"

    def _check_sweep(self, step: Step, key: str, wanted: Any) -> None:
        if self.swept is None or step.kind != "sweep":
            self.fail(
                (*step.where, "expect", key),
                "TS301",
                f"{key}: chỉ kiểm tra được sau sweep / can be checked only after a sweep step",
            )
            return
        got: Any = [a for _id, a in self.swept.fired] if key == "fired" else len(self.swept.overdue)
        if got != wanted:
            self.fail(
                (*step.where, "expect", key),
                "TS301",
                f"{key}: mong đợi / expected {self.show(wanted)}, thực tế / got {self.show(got)}",
            )

    def actual(self, step: Step, d: Dossier, key: str) -> Any:
        actual: Mapping[str, Callable[[], Any]] = {
            "version": lambda: d.procedure_version,
            "flags": lambda: list(d.flags),
            "number_matches": lambda: d.number,
            "reference_matches": lambda: d.reference,
            "data": lambda: {k: d.data.get(k) for k in step.expect["data"]},
            "form": lambda: self.engine.history(d.id)[-1].clock.get("issued_form"),
            "actions": lambda: self.engine.available_actions(
                d.id, self.actor(step.expect.get("actions_as", step.actor))
            ),
            "actions_as": lambda: step.expect["actions_as"],
        }
        if key in actual:
            return actual[key]()
        if key in _FIELDS:
            return getattr(d, _FIELDS[key])
        if key in _PLAIN:
            return getattr(d, key)
        raise KeyError(key)  # the schema admits no other key

    def same(self, key: str, wanted: Any, got: Any) -> bool:
        if key in MOMENT_EXPECTATIONS:
            return (wanted is None and got is None) or (
                wanted is not None and got is not None and moment(wanted) == got
            )
        if key in ("number_matches", "reference_matches"):
            return isinstance(got, str) and re.fullmatch(wanted, got) is not None
        if key == "actions":
            return sorted(wanted) == sorted(got)
        return bool(wanted == got)

    def show(self, value: Any) -> str:
        if isinstance(value, dt.datetime):
            return value.astimezone(self.engine.calendar.tz).isoformat()
        return "null" if value is None else repr(value)


def run_story(
    sf: ScenarioFile, story: Scenario, catalog: Catalog, calendars: CalendarCache
) -> ScenarioResult:
    """Run one story of a file that read without problems."""
    try:
        runner = _Story(sf, story, catalog, calendars)
    except CalendarError as exc:
        collector = Collector(sf.path, sf.source_map)
        where = (*story.where, "calendar") if story.calendar is not None else ("calendar",)
        collector.report(where, "TS204", f"[{story.name}] {_overlay_message(exc)}")
        return ScenarioResult(sf.path, story.name, tuple(collector.problems))
    return runner.run()


def _overlay_message(exc: CalendarError) -> str:
    text = " ".join(str(exc).split())  # one line: the overlay's own problems (TCxxx) included
    return f"không nạp được lịch / the calendar overlay cannot be loaded: {text}"


def run_file(
    sf: ScenarioFile, catalog: Catalog, calendars: CalendarCache | None = None
) -> list[ScenarioResult]:
    """Every story of one scenario file; a file with problems runs none (its problems say why)."""
    cache = calendars or CalendarCache()
    return [run_story(sf, story, catalog, cache) for story in sf.scenarios]


def run_paths(paths: Iterable[str | os.PathLike[str]], catalog: Catalog) -> TestReport:
    """Read and run every scenario file named or found under `paths` (`*.scenario.yaml` in folders)."""
    files = discover_scenarios([os.fspath(p) for p in paths])
    results: list[ScenarioResult] = []
    file_problems: list[Problem] = []
    calendars = CalendarCache()
    for path in files:
        sf = read_scenarios(path)
        if sf.problems:
            file_problems += sf.problems
            continue
        results += run_file(sf, catalog, calendars)
    return TestReport(tuple(files), tuple(results), tuple(file_problems))
