"""A procedure drawn: Mermaid (`stateDiagram-v2`) or Graphviz DOT text, labelled in Vietnamese.

States show their label, public status, what the legal clock does there and their budget; final
states are marked with their outcome (and lead to Mermaid's end marker). Actions show their label,
the roles that may take them, the form they issue and their clock effect; timers are dashed edges
("tự động sau …"). Both renderers read only the frozen model, so `tthc graph` draws a file as loaded.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from tthc_engine.definition.model import Action, Duration, Procedure, State, Timer

CLOCK_VI = {
    "pending": "chưa tính thời hạn",
    "runs": "đang tính thời hạn",
    "paused": "tạm dừng tính thời hạn",
    "stopped": "dừng tính thời hạn",
}
OUTCOME_VI = {"resolved": "đã giải quyết", "refused": "từ chối", "withdrawn": "rút hồ sơ", "cancelled": "hủy"}
UNIT_VI = {"working_days": "ngày làm việc", "working_hours": "giờ làm việc", "calendar_days": "ngày"}
EFFECT_VI = {"restart_clock": "tính lại thời hạn", "reschedule": "hẹn lại ngày trả", "extend": "gia hạn"}
FORMATS = ("mermaid", "dot")
_COLOURS = {"resolved": "#d4edda", "refused": "#f8d7da", "withdrawn": "#e2e3e5", "cancelled": "#fff3cd"}


def duration_vi(d: Duration) -> str:
    """`0.5 working_days` → "0,5 ngày làm việc" (the Vietnamese decimal comma)."""
    amount = f"{d.amount:g}".replace(".", ",")
    return f"{amount} {UNIT_VI.get(d.unit, d.unit)}"


def state_lines(proc: Procedure, s: State) -> list[str]:
    """The lines of a state's label: name, public status and clock, budget, outcome."""
    clock = "" if s.outcome is not None else f" · {CLOCK_VI[s.clock]}"  # a final state has no clock
    lines = [s.label.vi, f"trạng thái {s.public_status}{clock}"]
    if s.budget is not None:
        lines.append(f"định mức {duration_vi(s.budget)}" + ("" if s.counted else " (không tính)"))
    if s.outcome is not None:
        lines.append(f"kết thúc: {OUTCOME_VI[s.outcome]}")
    return lines


def _role_label(proc: Procedure, role: str) -> str:
    for r in proc.role_definitions:
        if r.id == role:
            return r.label.vi
    return role


def action_lines(proc: Procedure, a: Action) -> list[str]:
    """The lines of an action's label: name, roles, form issued, clock effect."""
    label = a.label.vi if a.label is not None else a.name
    lines = [label, "vai trò: " + ", ".join(_role_label(proc, r) for r in sorted(a.roles))]
    extra = [f"mẫu {a.issues_form}"] if a.issues_form else []
    extra += [EFFECT_VI[e] for e in a.effects]
    if extra:
        lines.append(" · ".join(extra))
    return lines


def timer_lines(proc: Procedure, t: Timer) -> list[str]:
    return [f"tự động sau {duration_vi(t.after)}", _action_label(proc, t.action)]


def _action_label(proc: Procedure, name: str) -> str:
    action = next((a for a in proc.actions if a.name == name), None)
    return action.label.vi if action is not None and action.label is not None else name


def _title(proc: Procedure) -> str:
    return f"{proc.code} {proc.name.vi} (phiên bản {proc.version}) — thời hạn {duration_vi_deadline(proc)}"


def duration_vi_deadline(proc: Procedure) -> str:
    d = proc.deadline
    if d.unit == "same_day":
        return "trong ngày"
    return duration_vi(Duration(d.amount, d.unit))


# --- Mermaid ---

_MERMAID_ID = re.compile(r"[^A-Za-z0-9_]")


def _mermaid_ids(proc: Procedure) -> dict[str, str]:
    """Mermaid ids: word characters only, prefixed so no state is named like a keyword (end, state)."""
    return {s.id: f"s{i}_{_MERMAID_ID.sub('_', s.id)}" for i, s in enumerate(proc.states)}


_MERMAID_ENTITIES = {"#": "#35;", '"': "#quot;", ";": "#59;", "<": "#lt;", ">": "#gt;"}
_MERMAID_SPECIAL = re.compile('[#";<>]')


def _mermaid_text(text: str) -> str:
    """Label text Mermaid reads literally: quotes, semicolons, hashes and angle brackets as entities."""
    return _MERMAID_SPECIAL.sub(lambda m: _MERMAID_ENTITIES[m.group(0)], text)


def _mermaid_label(lines: list[str]) -> str:
    return "<br/>".join(_mermaid_text(line) for line in lines)


def mermaid(proc: Procedure) -> str:
    """The procedure as a Mermaid state diagram."""
    ids = _mermaid_ids(proc)
    out = ["---", f"title: {_mermaid_text(_title(proc)).replace(':', '#58;')}", "---", "stateDiagram-v2"]
    for s in proc.states:
        out.append(f'    state "{_mermaid_label(state_lines(proc, s))}" as {ids[s.id]}')
    out.append(f"    [*] --> {ids[proc.initial]}")
    for a in proc.actions:
        for source in a.sources:
            out.append(f"    {ids[source]} --> {ids[a.target]}: {_mermaid_label(action_lines(proc, a))}")
    for t in proc.timers:
        action = next((a for a in proc.actions if a.name == t.action), None)
        if action is not None:
            label = _mermaid_label(timer_lines(proc, t))
            out.append(f"    {ids[t.state]} --> {ids[action.target]}: ⏱ {label}")
    for s in proc.states:
        if s.outcome is not None:
            out.append(f"    {ids[s.id]} --> [*]")
    for outcome, colour in _COLOURS.items():
        members = [ids[s.id] for s in proc.states if s.outcome == outcome]
        if members:
            out.append(f"    classDef {outcome} fill:{colour},stroke:#333,stroke-width:2px")
            out.append(f"    class {','.join(members)} {outcome}")
    return "\n".join(out) + "\n"


# --- Graphviz DOT ---


def _dot_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _dot_label(lines: list[str]) -> str:
    return _dot_string("\n".join(lines))


def dot(proc: Procedure) -> str:
    """The procedure as a Graphviz digraph (`dot -Tsvg` draws it)."""
    out = [
        f"digraph {_dot_string(proc.code + ' ' + proc.version)} {{",
        f"  label={_dot_string(_title(proc))};",
        '  labelloc=t; rankdir=LR; fontname="DejaVu Sans";',
        '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="DejaVu Sans"];',
        '  edge [fontname="DejaVu Sans", fontsize=10];',
        '  __start [shape=point, width=0.15, label=""];',
    ]
    for s in proc.states:
        attrs_ = [f"label={_dot_label(state_lines(proc, s))}"]
        if s.outcome is not None:
            attrs_ += ["peripheries=2", f'fillcolor="{_COLOURS[s.outcome]}"']
        elif s.clock == "paused":
            attrs_.append('style="rounded,filled,dashed"')
        out.append(f"  {_dot_string(s.id)} [{', '.join(attrs_)}];")
    out.append(f"  __start -> {_dot_string(proc.initial)};")
    for a in proc.actions:
        for source in a.sources:
            out.append(
                f"  {_dot_string(source)} -> {_dot_string(a.target)} "
                f"[label={_dot_label(action_lines(proc, a))}];"
            )
    for t in proc.timers:
        action = next((a for a in proc.actions if a.name == t.action), None)
        if action is not None:
            out.append(
                f"  {_dot_string(t.state)} -> {_dot_string(action.target)} "
                f"[label={_dot_label(timer_lines(proc, t))}, style=dashed];"
            )
    out.append("}")
    return "\n".join(out) + "\n"


RENDERERS: dict[str, Callable[[Procedure], str]] = {"mermaid": mermaid, "dot": dot}


def render(proc: Procedure, fmt: str) -> str:
    """`proc` drawn in `fmt` ("mermaid" or "dot"); KeyError for another format."""
    return RENDERERS[fmt](proc)
