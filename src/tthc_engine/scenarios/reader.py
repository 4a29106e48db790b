"""Reading a scenario file (schemas/scenario.schema.json) into frozen steps, with positioned problems.

Scenario files are read by THE strict YAML reader (diagnostics/yaml_reader.py) with their own code
family (SCENARIO_FILE: TS0xx), validated by their JSON Schema (TS100), then their values are checked
(moments TS201, actor names TS202, regular expressions TS206). Every problem of a file is reported
at once, at file:line:column. What needs the catalog (the procedure, its actions) is checked when the
scenario runs (runner.py).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, Literal

import attrs
import jsonschema

from tthc_engine.diagnostics import (
    DEFAULT_MAX_BYTES,
    Collector,
    FileKind,
    JsonPath,
    SourceMap,
    json_path,
    read_bounded,
    read_yaml,
)
from tthc_engine.errors import DataError, NaiveDatetimeError, Problem
from tthc_engine.runtime.actor import Actor
from tthc_engine.timeutil import moment

SCENARIO_FORMAT = "tthc/scenario/v1"
SCENARIO_SUFFIX = ".scenario.yaml"  # how `tthc test DIR` and the pytest plugin recognise scenario files

SCENARIO_FILE = FileKind(
    too_large="TS002",
    not_utf8="TS003",
    syntax="TS004",
    duplicate_key="TS005",
    too_many_values="TS006",
    unsupported="TS007",
    documents="TS008",
    too_deep="TS009",
    not_finite="TS010",
    split_hint="split the scenarios into several files",
    content_hint="scenario files hold only text, numbers, true/false, lists and mappings",
    one_document_hint="keep one scenario file per YAML document; list several stories under scenarios:",
    empty_hint="write the scenario's keys: format, procedure, actors, scenarios (docs/scenarios.md)",
)

StepKind = Literal["lodge", "act", "sweep", "calendar"]
STEP_KINDS: tuple[StepKind, ...] = ("lodge", "act", "sweep", "calendar")
MOMENT_EXPECTATIONS = ("received", "due", "appointment", "finished")


@attrs.frozen
class Step:
    """One step of a story: `kind` with its argument (a channel, an action, a moment, overlay files)."""

    kind: StepKind
    where: JsonPath  # ("scenarios", i, "steps", j): the step's place, for positions
    argument: Any
    at: str | None = None
    actor: str | None = None
    data: Mapping[str, Any] | None = None
    note: str | None = None
    agency: str | None = None
    name: str | None = None
    expect: Mapping[str, Any] = attrs.field(factory=dict)

    @property
    def title(self) -> str:
        """How a failure names the step: its own name, else `act accept`, `sweep 2025-…`."""
        return self.name or f"{self.kind} {self.argument if self.kind != 'calendar' else ''}".strip()


@attrs.frozen
class Scenario:
    name: str
    where: JsonPath
    steps: tuple[Step, ...]
    calendar: tuple[str, ...] | None = None  # overlays for this story (else the file's)


@attrs.frozen
class ScenarioFile:
    """A scenario file read: `scenarios` is empty when `problems` holds errors."""

    path: str
    procedure: str
    actors: Mapping[str, Actor]
    calendar: tuple[str, ...]
    scenarios: tuple[Scenario, ...]
    source_map: SourceMap = attrs.field(eq=False, repr=False)
    problems: tuple[Problem, ...] = ()

    def resolve(self, overlay: str) -> Path:
        """An overlay path as written in the file: relative to the file's folder."""
        return Path(self.path).parent / overlay


@cache
def _validator() -> jsonschema.Draft202012Validator:
    from tthc_engine._resources import schema_path

    schema = json.loads(schema_path("scenario.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _schema_errors(data: Any, collector: Collector) -> None:
    """TS100 for each schema error; a step that names its verb is checked against that verb's shape."""
    for err in sorted(_validator().iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
        where: JsonPath = tuple(err.absolute_path)
        errors = [err]
        if err.validator == "oneOf" and isinstance(err.instance, dict):
            verbs = [k for k in STEP_KINDS if k in err.instance]
            if len(verbs) == 1:
                branch = STEP_KINDS.index(verbs[0])
                errors = [e for e in err.context or () if e.schema_path and e.schema_path[0] == branch]
            elif not verbs:
                collector.report(
                    where,
                    "TS100",
                    f"{json_path(where)}: a step needs one of lodge, act, sweep, calendar",
                    "e.g. `- act: accept` with at: and as:",
                )
                continue
            else:
                collector.report(
                    where,
                    "TS100",
                    f"{json_path(where)}: one step has {' and '.join(verbs)}",
                    "write one verb per step",
                )
                continue
        for one in errors:
            at: JsonPath = tuple(one.absolute_path)
            key = one.validator == "additionalProperties"
            collector.report(at, "TS100", f"{json_path(at)}: {one.message}", key=key)


def _check_moment(value: object, where: JsonPath, collector: Collector) -> None:
    if not isinstance(value, str):
        return
    try:
        moment(value)
    except (DataError, NaiveDatetimeError, ValueError) as exc:
        collector.report(
            where,
            "TS201",
            f"{value!r} không phải thời điểm / is not a moment: {exc}",
            'write the date, the time and the UTC offset: "2025-01-24T16:30+07:00"',
        )


def _check_regex(value: object, where: JsonPath, collector: Collector) -> None:
    if isinstance(value, str):
        try:
            re.compile(value)
        except re.error as exc:
            collector.report(where, "TS206", f"{value!r} is not a regular expression: {exc}")


def _actors(data: Mapping[str, Any]) -> dict[str, Actor]:
    out = {}
    for name, spec in data.items():
        out[name] = Actor(name, frozenset(spec["roles"]), spec.get("name"), spec.get("agency"))
    return out


def _step(raw: Mapping[str, Any], where: JsonPath, actors: Mapping[str, Actor], c: Collector) -> Step:
    kind = next(k for k in STEP_KINDS if k in raw)
    expect = raw.get("expect", {})
    for key in ("as",):
        if key in raw and raw[key] not in actors:
            c.report(
                (*where, key),
                "TS202",
                f"unknown actor {raw[key]!r}",
                f"declare it under actors: (known: {', '.join(sorted(actors))})",
            )
    if "actions_as" in expect and expect["actions_as"] not in actors:
        c.report((*where, "expect", "actions_as"), "TS202", f"unknown actor {expect['actions_as']!r}")
    _check_moment(raw.get("at"), (*where, "at"), c)
    if kind == "sweep":
        _check_moment(raw["sweep"], (*where, "sweep"), c)
    for key in MOMENT_EXPECTATIONS:
        _check_moment(expect.get(key), (*where, "expect", key), c)
    for key in ("number_matches", "reference_matches"):
        _check_regex(expect.get(key), (*where, "expect", key), c)
    argument = tuple(raw[kind]) if kind == "calendar" else raw[kind]
    return Step(
        kind,
        where,
        argument,
        raw.get("at"),
        raw.get("as"),
        raw.get("data"),
        raw.get("note"),
        raw.get("agency"),
        raw.get("name"),
        expect,
    )


def parse_scenarios(raw: bytes | str, path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ScenarioFile:
    """Scenario file text → `ScenarioFile`; never raises for bad input (its problems say why)."""
    doc = read_yaml(
        raw.encode("utf-8") if isinstance(raw, str) else raw, path, kind=SCENARIO_FILE, max_bytes=max_bytes
    )
    empty = ScenarioFile(path, "", {}, (), (), doc.source_map, tuple(doc.problems))
    if doc.data is None:
        return empty
    collector = Collector(path, doc.source_map, list(doc.problems))
    _schema_errors(doc.data, collector)
    if collector.problems:
        return attrs.evolve(empty, problems=tuple(collector.problems))
    data: dict[str, Any] = doc.data
    actors = _actors(data["actors"])
    scenarios = []
    for i, story in enumerate(data["scenarios"]):
        where: JsonPath = ("scenarios", i)
        steps = tuple(_step(s, (*where, "steps", j), actors, collector) for j, s in enumerate(story["steps"]))
        overlays = tuple(story["calendar"]) if "calendar" in story else None
        scenarios.append(Scenario(story["name"], where, steps, overlays))
    if collector.problems:
        return attrs.evolve(empty, problems=tuple(collector.problems))
    return ScenarioFile(
        path, data["procedure"], actors, tuple(data.get("calendar", ())), tuple(scenarios), doc.source_map, ()
    )


def read_scenarios(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> ScenarioFile:
    """Read one scenario file (TS001 when it cannot be read)."""
    shown = os.fspath(path)
    try:
        raw = read_bounded(Path(path), max_bytes)
    except OSError as exc:
        collector = Collector(shown)
        collector.report(
            (), "TS001", f"không đọc được tệp / cannot read the file: {exc.strerror or exc}", "check the path"
        )
        return ScenarioFile(shown, "", {}, (), (), SourceMap(), tuple(collector.problems))
    return parse_scenarios(raw, shown, max_bytes=max_bytes)


def discover_scenarios(paths: list[str]) -> list[str]:
    """Files named, and `*.scenario.yaml` found (recursively, skipping hidden folders) under folders."""
    out: list[str] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for found in sorted(path.rglob(f"*{SCENARIO_SUFFIX}")):
                if found.is_file() and not any(p.startswith(".") for p in found.relative_to(path).parts):
                    out.append(os.fspath(found))
        else:
            out.append(os.fspath(given))
    return out
