"""Schema-valid data → the frozen definition classes of model.py.

Runs only on data that passed the JSON Schema, so shapes and types are known; what the schema cannot
say (a real calendar date, a real time of day) is checked here and reported as a Problem.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from tthc_engine.definition.model import (
    Action,
    Agency,
    Deadline,
    DocumentComponent,
    Duration,
    Extension,
    Fee,
    Form,
    Guard,
    LegalReference,
    Procedure,
    Role,
    State,
    Text,
    Timer,
    WarningRule,
)
from tthc_engine.diagnostics import Collector, JsonPath, SourceMap, json_path
from tthc_engine.errors import Problem

T = TypeVar("T")

Raw = Mapping[str, Any]


def text(value: Any) -> Text:
    if isinstance(value, str):
        return Text(value)
    return Text(value["vi"], value.get("en"))


def duration(raw: Raw) -> Duration:
    return Duration(float(raw["amount"]), raw["unit"])


def reference(raw: Raw | None) -> LegalReference | None:
    if raw is None:
        return None
    return LegalReference(raw["document"], raw.get("article"), raw.get("note"))


def guard(raw: Raw | None) -> Guard | None:
    if raw is None:
        return None
    return Guard(schema=raw.get("schema"), predicate=raw.get("predicate"), message=raw.get("message"))


class _Builder:
    def __init__(self, path: str, smap: SourceMap) -> None:
        self.collector = Collector(path, smap)
        self.problems = self.collector.problems

    def date(self, value: str | None, where: JsonPath) -> dt.date | None:
        return self._parse(
            value,
            where,
            dt.date.fromisoformat,
            "TT201",
            "a calendar date",
            'write a real date as "YYYY-MM-DD"',
        )

    def time(self, value: str | None, where: JsonPath) -> dt.time | None:
        return self._parse(
            value, where, dt.time.fromisoformat, "TT202", "a time of day",
            'write "HH:MM" between "00:00" and "23:59"',
        )  # fmt: skip

    def _parse(
        self, value: str | None, where: JsonPath, parse: Callable[[str], T], code: str, what: str, hint: str
    ) -> T | None:
        """Parse a schema-valid string; a value the schema's pattern let through becomes a Problem."""
        if value is None:
            return None
        try:
            return parse(value)
        except ValueError:
            self.collector.report(where, code, f"{json_path(where)} is {value!r}, which is not {what}", hint)
            return None


def _state(raw: Raw) -> State:
    budget = raw.get("budget")
    return State(
        id=raw["id"],
        label=text(raw["label"]),
        public_status=raw["public_status"],
        clock=raw.get("clock", "runs"),
        budget=duration(budget) if budget is not None else None,
        agency=raw.get("agency"),
        outcome=raw.get("outcome"),
        counted=raw.get("counted", True),
        budget_statutory=bool(budget.get("statutory", False)) if budget is not None else False,
        consultation=bool(raw.get("consultation", False)),
    )


def _action(raw: Raw) -> Action:
    sources = raw["from"]
    return Action(
        name=raw["name"],
        sources=(sources,) if isinstance(sources, str) else tuple(sources),
        target=raw["to"],
        roles=frozenset(raw["roles"]),
        label=text(raw["label"]) if "label" in raw else None,
        guard=guard(raw.get("guard")),
        requires=tuple(raw.get("requires", ())),
        note_required=raw.get("note_required", False),
        issues_form=raw.get("issues_form"),
        effects=tuple(raw.get("effects", ())),
        extension=raw.get("extension"),
    )


def build_procedure(data: Raw, smap: SourceMap, path: str) -> tuple[Procedure | None, list[Problem]]:
    """Build the Procedure, or return None with the problems that prevent it."""
    b = _Builder(path, smap)
    effective_from = b.date(data["effective_from"], ("effective_from",))
    effective_to = b.date(data.get("effective_to"), ("effective_to",))
    raw_deadline = data["deadline"]
    cutoff = b.time(raw_deadline.get("cutoff"), ("deadline", "cutoff"))
    if b.problems or effective_from is None:
        return None, b.problems
    warn = raw_deadline.get("warn_before")
    deadline = Deadline(
        amount=float(raw_deadline["amount"]),
        unit=raw_deadline["unit"],
        cutoff=cutoff,
        convention=raw_deadline.get("convention", "next_day"),
        extensions=tuple(
            Extension(
                e["name"], duration(e["duration"]), guard(e.get("when")), reference(e.get("legal_basis"))
            )
            for e in raw_deadline.get("extensions", ())
        ),
        warn_before=duration(warn) if warn is not None else None,
        legal_basis=reference(raw_deadline.get("legal_basis")),
        warnings=tuple(
            WarningRule(
                w["kind"],
                share=float(w["share"]) if "share" in w else None,
                before=duration(w["before"]) if "before" in w else None,
                due_day=bool(w.get("due_day", False)),
                states=tuple(w.get("states", ())),
            )
            for w in raw_deadline.get("warnings", ())
        ),
    )
    agency = data["agency"]
    roles = tuple(Role(r["id"], text(r["label"])) for r in data["roles"])
    procedure = Procedure(
        code=data["code"],
        version=data["version"],
        name=text(data["name"]),
        field=data["field"],
        level=data["level"],
        agency=Agency(agency["name"], agency.get("code")),
        legal_basis=tuple(r for r in map(reference, data["legal_basis"]) if r is not None),
        effective_from=effective_from,
        effective_to=effective_to,
        roles=tuple(r.id for r in roles),
        role_definitions=roles,
        states=tuple(_state(s) for s in data["states"]),
        actions=tuple(_action(a) for a in data["actions"]),
        initial=data["initial"],
        deadline=deadline,
        channels=tuple(data.get("channels", ("direct",))),
        online_service=data.get("online_service", "none"),
        applicants=tuple(data.get("applicants", ())),
        steps=tuple(data.get("steps", ())),
        documents=tuple(
            DocumentComponent(
                d["name"],
                d.get("copies", 1),
                d.get("form", "original"),
                d.get("required", True),
                d.get("note"),
            )
            for d in data.get("documents", ())
        ),
        fees=tuple(
            Fee(f["kind"], f["name"], f.get("amount_vnd"), f.get("rule"), reference(f.get("legal_basis")))
            for f in data.get("fees", ())
        ),
        result=tuple(data.get("result", ())),
        conditions=tuple(data.get("conditions", ())),
        forms=tuple(Form(f["code"], f["name"], f.get("source")) for f in data.get("forms", ())),
        timers=tuple(Timer(t["state"], duration(t["after"]), t["action"]) for t in data.get("timers", ())),
        source=path,
    )
    return procedure, b.problems
