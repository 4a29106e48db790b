"""Semantic checks of one procedure: what the JSON Schema cannot see (codes TT3xx, docs/diagnostics.md).

Each check names the thing, the place and the fix. Errors are definitions the engine cannot run
safely (a dossier could get stuck, an action could never be taken); warnings are likely mistakes.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from tthc_engine.definition.graph import closure, longest_path_to
from tthc_engine.definition.model import (
    PUBLIC_STATUSES,
    SYSTEM_ROLE,
    Deadline,
    Duration,
    Guard,
    Procedure,
    State,
)
from tthc_engine.definition.regex_safety import backtracking_risk, schema_patterns, schema_refs
from tthc_engine.diagnostics import Collector, JsonPath, SourceMap
from tthc_engine.errors import Problem
from tthc_engine.timeutil import HOURS_PER_WORKING_DAY

# Units → working hours, to compare budgets with the legal time. An 8-hour working day (Decision
# 188/1999/QĐ-TTg: 40 hours over 5 days); a calendar day counts 5/7 of a working day on average, so
# a budget in working days is compared fairly with a time limit in calendar days (a warning only).
_HOURS = {
    "working_days": HOURS_PER_WORKING_DAY,
    "working_hours": 1.0,
    "calendar_days": HOURS_PER_WORKING_DAY * 5 / 7,
}
_EPSILON = 1e-9


def hours(amount: float, unit: str) -> float:
    """A duration in working hours (same_day counts as one working day: done by the next one)."""
    if unit == "same_day":
        return HOURS_PER_WORKING_DAY
    return amount * _HOURS[unit]


def _deadline_hours(deadline: Deadline) -> float:
    return hours(deadline.amount, deadline.unit)


def _fmt(duration: Duration | Deadline) -> str:
    amount = f"{duration.amount:g}"
    return f"{amount} {duration.unit.replace('_', ' ')}" if duration.unit != "same_day" else "the same day"


def _num(value: float) -> str:
    """A converted amount for messages: at most two decimals (7.14, 5, 0.25)."""
    return f"{round(value, 2):g}"


def _conversion(deadline: Deadline) -> str:
    """How a deadline not in working days was compared (TT309): the conversion, in words."""
    if deadline.unit == "calendar_days":
        days = _deadline_hours(deadline) / HOURS_PER_WORKING_DAY
        return f" = {_num(days)} working days at 5 working days a week"
    if deadline.unit == "same_day":
        return ", counted as 1 working day"
    return ""


def did_you_mean(word: str, options: Iterable[str]) -> str | None:
    match = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"did you mean {match[0]!r}?" if match else None


class _Linter:
    def __init__(self, proc: Procedure, smap: SourceMap, predicates: Collection[str] | None) -> None:
        self.p = proc
        self.predicates = predicates
        self.collector = Collector(proc.source or "<procedure>", smap)
        self.state_ids = {s.id for s in proc.states}
        self.role_ids = set(proc.roles)
        self.state_index: dict[str, int] = {}
        for i, s in enumerate(proc.states):
            self.state_index.setdefault(s.id, i)

    def add(self, code: str, where: JsonPath, message: str, hint: str | None = None) -> None:
        """Report one problem; its severity is the code's (tthc_engine.diagnostics.codes)."""
        self.collector.report(where, code, message, hint)

    def state_path(self, state_id: str) -> JsonPath:
        return ("states", self.state_index.get(state_id, 0))

    def run(self) -> list[Problem]:
        self.duplicates()
        self.references()
        self.roles_used()
        self.graph()
        self.budgets()
        self.timers()
        self.extensions()
        self.deadline_shape()
        self.guards()
        self.published()
        self.forms()
        self.public_statuses()
        return self.collector.problems

    def duplicates(self) -> None:
        for code, section, ids in (
            ("TT302", "states", [s.id for s in self.p.states]),
            ("TT315", "roles", list(self.p.roles)),
            ("TT316", "extensions", [e.name for e in self.p.deadline.extensions]),
            ("TT316", "warnings", [w.kind for w in self.p.deadline.warnings]),
        ):
            seen: set[str] = set()
            for i, ident in enumerate(ids):
                where: JsonPath = (
                    ("deadline", section, i) if section in ("extensions", "warnings") else (section, i)
                )
                if ident in seen:
                    self.add(
                        code,
                        where,
                        f"{section[:-1]} {ident!r} is declared more than once",
                        "give each one a distinct name, or merge them",
                    )
                seen.add(ident)
        sources: dict[tuple[str, str], int] = {}
        for i, action in enumerate(self.p.actions):
            for source in action.sources:
                first = sources.setdefault((action.name, source), i)
                if first != i:
                    self.add(
                        "TT308",
                        ("actions", i, "name"),
                        f"action {action.name!r} is declared twice from state {source!r} "
                        f"(actions[{first}] and actions[{i}])",
                        "rename one of them: from one state an action name must say what happens",
                    )

    def unknown_state(self, where: JsonPath, ident: str, what: str) -> None:
        if ident not in self.state_ids:
            hint = did_you_mean(ident, self.state_ids) or f"declare a state with id {ident!r}"
            self.add("TT301", where, f"{what} names the unknown state {ident!r}", hint)

    def references(self) -> None:
        self.unknown_state(("initial",), self.p.initial, "initial")
        for i, action in enumerate(self.p.actions):
            for j, source in enumerate(action.sources):
                where: JsonPath = (
                    ("actions", i, "from", j) if len(action.sources) > 1 else ("actions", i, "from")
                )
                self.unknown_state(where, source, f"action {action.name!r} (from)")
            self.unknown_state(("actions", i, "to"), action.target, f"action {action.name!r} (to)")
            for role in sorted(action.roles - self.role_ids):
                hint = did_you_mean(role, self.role_ids) or f"declare the role under roles: with id {role!r}"
                self.add(
                    "TT306",
                    ("actions", i, "roles"),
                    f"action {action.name!r} names the unknown role {role!r}",
                    hint,
                )
        for i, timer in enumerate(self.p.timers):
            self.unknown_state(("timers", i, "state"), timer.state, "timer")
        for i, warning in enumerate(self.p.deadline.warnings):
            for j, state in enumerate(warning.states):
                where = ("deadline", "warnings", i, "states", j)
                self.unknown_state(where, state, f"warning {warning.kind!r}")

    def roles_used(self) -> None:
        used = set().union(*(a.roles for a in self.p.actions)) if self.p.actions else set()
        for i, role in enumerate(self.p.roles):
            if role == SYSTEM_ROLE:
                self.add(
                    "TT326",
                    ("roles", i),
                    f"role {role!r} is the engine's own: timers fire their action as the system actor",
                    "name the people's role differently (e.g. 'reception'); a timer needs no role",
                )
            if role not in used:
                self.add(
                    "TT307",
                    ("roles", i),
                    f"role {role!r} may take no action",
                    "list it in some action's roles, or remove it",
                )

    def graph(self) -> None:
        out: dict[str, set[str]] = defaultdict(set)
        for action in self.p.actions:
            for source in action.sources:
                out[source].add(action.target)
        finals = {s.id for s in self.p.states if s.final}
        for s in self.p.states:
            where = self.state_path(s.id)
            if s.final and out.get(s.id):
                self.add(
                    "TT312",
                    (*where, "outcome"),
                    f"state {s.id!r} has outcome {s.outcome!r} but actions "
                    f"leave it (to {', '.join(sorted(out[s.id]))})",
                    "a final state ends the dossier: remove the outcome or the actions leaving it",
                )
            elif not s.final and not out.get(s.id):
                self.add(
                    "TT304",
                    where,
                    f"state {s.id!r} is not final and no action leaves it: a dossier would be stuck there",
                    "add an action from it, or give it an outcome if it is final",
                )
        if self.p.initial not in self.state_ids:
            return
        reachable = closure({self.p.initial}, out)
        for s in self.p.states:
            if s.id not in reachable:
                self.add(
                    "TT303",
                    self.state_path(s.id),
                    f"state {s.id!r} cannot be reached from the initial state {self.p.initial!r}",
                    "add an action leading to it, or remove it",
                )
        back: dict[str, set[str]] = defaultdict(set)
        for source, targets in out.items():
            for target in targets:
                back[target].add(source)
        can_finish = closure(finals, back)
        for s in self.p.states:
            if s.id in reachable and not s.final and out.get(s.id) and s.id not in can_finish:
                self.add(
                    "TT305",
                    self.state_path(s.id),
                    f"no final state can be reached from state {s.id!r}",
                    "add a path to a state with an outcome (resolved, refused, withdrawn, cancelled)",
                )

    def budgets(self) -> None:
        """TT309 / TT323: along the paths to a resolved outcome, counted budgets within the legal time.

        Without the extensions: they apply only when their condition holds (remote commune,
        verification), so the ordinary path must fit the deadline alone. A path starts at `initial`
        or after a `restart_clock` action (the time counts again from zero there, Decree 61/2018
        Art. 19(4)); loops count once.
        """
        if self.p.initial not in self.state_ids:
            return
        counted = [s for s in self.p.states if s.budget is not None and s.counted and s.clock == "runs"]
        weight = {s.id: hours(s.budget.amount, s.budget.unit) for s in counted if s.budget is not None}
        if not weight:
            return
        out: dict[str, list[str]] = defaultdict(list)
        starts = [self.p.initial]
        for action in self.p.actions:
            if "restart_clock" in action.effects:
                starts.append(action.target)
                continue  # the legal time starts again: budgets before it are not summed with those after
            for source in action.sources:
                if source != action.target and action.target in self.state_ids:
                    out[source].append(action.target)
        goals = {s.id for s in self.p.states if s.outcome == "resolved"}
        allowed = _deadline_hours(self.p.deadline)
        worst: tuple[float, list[str]] | None = None
        for start in dict.fromkeys(starts):
            found = longest_path_to(start, out, weight, goals) if start in self.state_ids else None
            if found is not None and (worst is None or found[0] > worst[0]):
                worst = found
        if worst is None or worst[0] <= allowed + _EPSILON:
            return
        total, path = worst
        statutory = [self.p.state(i) for i in path if i in weight and self.p.state(i).budget_statutory]
        summed = f"{_num(total / HOURS_PER_WORKING_DAY)} working days"
        if self.p.deadline.unit == "working_hours":
            summed += f" ({_num(total)} working hours)"
        legal = _fmt(self.p.deadline) + _conversion(self.p.deadline)
        if self.p.deadline.extensions:
            legal += ", without extensions: they apply only when their condition holds"
        along = " → ".join(path)
        message = f"the step budgets along {along} add up to {summed}, more than the legal time ({legal})"
        if statutory:
            named = ", ".join(f"{s.id} ({_fmt(s.budget)})" for s in statutory if s.budget is not None)
            self.add(
                "TT323",
                ("deadline",),
                f"{message}; statutory budgets on this path: {named}",
                "a statutory budget is the law's time for its step: shorten the other budgets, mark "
                "excluded steps `counted: false` / `clock: paused`, or check the legal time and its source",
            )
            return
        self.add(
            "TT309",
            ("deadline",),
            message,
            "shorten the budgets, or mark excluded steps `counted: false` / `clock: paused`",
        )

    def timers(self) -> None:
        names = {a.name for a in self.p.actions}
        for i, timer in enumerate(self.p.timers):
            if timer.action not in names:
                hint = did_you_mean(timer.action, names) or "name an action declared under actions:"
                self.add(
                    "TT310", ("timers", i, "action"), f"timer names the unknown action {timer.action!r}", hint
                )
            elif timer.state in self.state_ids and not any(
                a.name == timer.action and timer.state in a.sources for a in self.p.actions
            ):
                self.add(
                    "TT311",
                    ("timers", i, "action"),
                    f"action {timer.action!r} cannot be taken from state "
                    f"{timer.state!r}, so the timer could never fire",
                    f"add {timer.state!r} to the action's `from`, or change the timer's state",
                )

    def extensions(self) -> None:
        names = {e.name for e in self.p.deadline.extensions}
        for i, action in enumerate(self.p.actions):
            extends = "extend" in action.effects
            if extends and action.extension is None:
                self.add(
                    "TT313",
                    ("actions", i, "effects"),
                    f"action {action.name!r} has effect extend but names no extension",
                    "add `extension: <name of a deadline.extensions entry>`",
                )
            elif action.extension is not None and action.extension not in names:
                hint = did_you_mean(action.extension, names) or "declare it under deadline.extensions"
                self.add(
                    "TT313",
                    ("actions", i, "extension"),
                    f"action {action.name!r} names the unknown extension {action.extension!r}",
                    hint,
                )
            elif action.extension is not None and not extends:
                self.add(
                    "TT321",
                    ("actions", i, "extension"),
                    f"action {action.name!r} names extension "
                    f"{action.extension!r} without effect extend, so it is never applied",
                    "add `extend` to its effects",
                )

    def deadline_shape(self) -> None:
        p, d = self.p, self.p.deadline
        if p.effective_to is not None and p.effective_to < p.effective_from:
            self.add(
                "TT314",
                ("effective_to",),
                f"effective_to {p.effective_to} is before effective_from {p.effective_from}",
                "swap them, or correct the dates",
            )
        if d.unit == "same_day" and d.amount != 0:
            self.add(
                "TT317",
                ("deadline", "amount"),
                f"a same_day deadline has amount {d.amount:g}",
                "write `amount: 0` with unit same_day, or use working_days",
            )
        if d.cutoff is not None and d.unit != "same_day":
            self.add(
                "TT317",
                ("deadline", "cutoff"),
                f"cutoff is set but the unit is {d.unit}",
                "cutoff applies to same_day deadlines only: remove it or use unit same_day",
            )
        if (
            d.warn_before is not None
            and d.unit != "same_day"
            and hours(d.warn_before.amount, d.warn_before.unit) >= _deadline_hours(d) - _EPSILON
        ):
            self.add(
                "TT318",
                ("deadline", "warn_before"),
                f"warn_before ({_fmt(d.warn_before)}) is not shorter "
                f"than the deadline ({_fmt(d)}): the warning would come at once",
                "use a shorter warn_before",
            )

    def _guards(self) -> Iterator[tuple[JsonPath, Guard]]:
        for i, action in enumerate(self.p.actions):
            if action.guard is not None:
                yield ("actions", i, "guard"), action.guard
        for i, ext in enumerate(self.p.deadline.extensions):
            if ext.when is not None:
                yield ("deadline", "extensions", i, "when"), ext.when

    def guards(self) -> None:
        for where, guard in self._guards():
            for inner, pattern in schema_patterns(guard.schema) if guard.schema is not None else ():
                risk = backtracking_risk(pattern)
                if risk is not None:
                    self.add(
                        "TT327",
                        (*where, "schema", *inner),
                        f"the pattern {pattern!r} may take exponential time on a short value: {risk}",
                        "rewrite it without the nested repeat, e.g. ^a+$ for ^(a+)+$",
                    )
            for inner, ref in schema_refs(guard.schema) if guard.schema is not None else ():
                self.add(
                    "TT328",
                    (*where, "schema", *inner),
                    f"the guard refers to {ref!r} outside itself: it would be fetched, or fail, at the "
                    "first act instead of being checked now",
                    "define the shared part under the guard's own $defs and refer to it as #/$defs/NAME",
                )
            if guard.schema is not None:
                try:
                    Draft202012Validator.check_schema(guard.schema)
                except SchemaError as exc:
                    self.add(
                        "TT319",
                        (*where, "schema"),
                        f"the guard is not a valid JSON Schema: {exc.message}",
                        "see https://json-schema.org/understanding-json-schema/",
                    )
            if (
                guard.predicate is not None
                and self.predicates is not None
                and guard.predicate not in self.predicates
            ):
                hint = (
                    did_you_mean(guard.predicate, self.predicates)
                    or "register the predicate in the host application, or correct its name"
                )
                self.add(
                    "TT403",
                    (*where, "predicate"),
                    f"the guard predicate {guard.predicate!r} is not registered",
                    hint,
                )

    def forms(self) -> None:
        declared = {f.code for f in self.p.forms}
        for i, action in enumerate(self.p.actions):
            if action.issues_form is not None and action.issues_form not in declared:
                self.add(
                    "TT322",
                    ("actions", i, "issues_form"),
                    f"action {action.name!r} issues the form {action.issues_form!r}, which is not "
                    "declared under forms: (the form printed and recorded would have no name)",
                    _form_hint(action.issues_form, declared),
                )

    def public_statuses(self) -> None:
        """TT324 / TT325: the status shown on the portals says what the state is (PUBLIC_STATUSES)."""
        for i, s in enumerate(self.p.states):
            shown = PUBLIC_STATUSES.get(s.public_status)
            if shown is None:  # out of range: the schema's TT106
                continue
            at: JsonPath = ("states", i, "public_status")
            if s.outcome is not None:
                if s.outcome not in shown.outcomes:
                    kind = (
                        "an outcome of another kind" if shown.meaning == "final" else "a dossier in progress"
                    )
                    self.add(
                        "TT324",
                        at,
                        f"state {s.id!r} is final with outcome {s.outcome!r}, but public_status {shown} "
                        f"shows {kind}",
                        "write public_status: " + _status_for(s.outcome),
                    )
            elif shown.meaning == "final":
                self.add(
                    "TT324",
                    at,
                    f"state {s.id!r} has no outcome (the dossier goes on), but public_status {shown} "
                    "says it ended",
                    f"give the state `outcome: {shown.outcomes[0]}` if the dossier ends here; otherwise use "
                    f"an in-progress status ({PUBLIC_STATUSES[4]}, {PUBLIC_STATUSES[9]}, …)",
                )
            else:
                self._status_and_clock(i, s)

    def _status_and_clock(self, i: int, s: State) -> None:
        shown = PUBLIC_STATUSES[s.public_status]
        at_status: JsonPath = ("states", i, "public_status")
        at_clock: JsonPath = ("states", i, "clock")
        clock = f"its clock is {s.clock!r}"
        if shown.meaning == "paused" and s.clock != "paused":
            self.add(
                "TT325",
                at_clock,
                f"state {s.id!r} shows public_status {shown}: the dossier waits for the applicant, "
                f"but {clock}",
                "write clock: paused (the applicant's time is not counted against the agency's; after a "
                "supplement the time counts again from receipt, Decree 61/2018/NĐ-CP Art. 19(4))",
            )
        elif shown.meaning == "result_ready" and s.clock != "stopped":
            self.add(
                "TT325",
                at_clock,
                f"state {s.id!r} shows public_status {shown}: the legal time has ended, but {clock}",
                "write clock: stopped (the result is ready; returning it is not counted)",
            )
        elif s.clock == "stopped" and shown.meaning != "result_ready":
            self.add(
                "TT325",
                at_status,
                f"state {s.id!r} stops the clock without an outcome (the result is ready), but shows "
                f"public_status {shown}",
                f"write public_status: {PUBLIC_STATUSES[9]}",
            )
        elif shown.meaning == "before_receipt" and s.clock != "pending":
            self.add(
                "TT325",
                at_status,
                f"state {s.id!r} shows public_status {shown} (lodged, not yet received), but {clock}",
                f"write public_status: {PUBLIC_STATUSES[2]} for a received dossier, or clock: pending if it "
                "waits for reception",
            )
        elif s.clock == "pending" and shown.meaning != "before_receipt":
            self.add(
                "TT325",
                at_status,
                f"state {s.id!r} has not started the clock (the dossier is not received yet), but shows "
                f"public_status {shown}",
                f"write public_status: {PUBLIC_STATUSES[1]}",
            )

    def published(self) -> None:
        # Decree 63/2010/ND-CP Art. 8(2): what a published procedure must state.
        missing = [
            key
            for key, value in (
                ("steps", self.p.steps),
                ("documents", self.p.documents),
                ("applicants", self.p.applicants),
                ("result", self.p.result),
            )
            if not value
        ]
        if missing:
            self.add(
                "TT320",
                (),
                f"the published elements {', '.join(missing)} are missing or empty "
                "(Decree 63/2010/ND-CP Art. 8(2))",
                "copy them from the published procedure",
            )


# The one-stop forms of Circular 01/2018/TT-VPCP Art. 9, offered as the declaration to add (TT322).
_ONE_STOP_FORMS = {
    "01": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    "02": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    "03": "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
    "04": "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
    "05": "Phiếu kiểm soát quá trình giải quyết hồ sơ",
}


def _status_for(outcome: str) -> str:
    """The public status(es) that show an outcome, for a hint: `10 (Đã trả kết quả / result returned)`."""
    codes = [str(s) for s in PUBLIC_STATUSES.values() if outcome in s.outcomes]
    return " or ".join(codes)


def _form_hint(code: str, declared: Collection[str]) -> str:
    close = did_you_mean(code, declared)
    if close is not None:
        return close
    name = _ONE_STOP_FORMS.get(code)
    if name is not None:
        return f'declare it under forms: {{code: "{code}", name: "{name}", source: Thông tư 01/2018/TT-VPCP}}'
    return f'declare it under forms: {{code: "{code}", name: …, source: …}}, or correct the code'


def lint_procedure(
    proc: Procedure, smap: SourceMap | None = None, *, predicates: Collection[str] | None = None
) -> list[Problem]:
    """Every semantic problem of one procedure (positions come from `smap` when it was loaded)."""
    return _Linter(proc, smap or SourceMap(), predicates).run()
