"""A small procedure built in Python that exercises every engine feature (no YAML needed)."""

from __future__ import annotations

import datetime as dt

from tthc_engine import Actor, Catalog
from tthc_engine.definition.model import (
    Action,
    Agency,
    Deadline,
    Duration,
    Extension,
    Guard,
    Procedure,
    Role,
    State,
    Text,
    Timer,
)

TZ = dt.timezone(dt.timedelta(hours=7))
DESK = Actor("desk-1", {"reception"})
OFFICER = Actor("officer-1", {"specialist"})
LEADER = Actor("leader-1", {"leader"})
APPLICANT = Actor("citizen-1", set())
EVERYONE = Actor("all-1", {"reception", "specialist", "leader"})


def at(text: str) -> dt.datetime:
    """'2025-01-24 16:30' in Viet Nam time."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


def _state(id: str, status: int, clock: str = "runs", **kw: object) -> State:
    return State(id, Text(id), status, clock, **kw)  # type: ignore[arg-type]


def procedure(
    *,
    code: str = "9.999001",
    version: str = "2025.01",
    effective_from: dt.date = dt.date(2024, 1, 1),
    effective_to: dt.date | None = None,
    amount: float = 3,
    initial_clock: str = "pending",
) -> Procedure:
    states = (
        _state("submitted", 1, initial_clock, agency="Bộ phận Một cửa"),
        _state("received", 2, budget=Duration(0.5, "working_days"), agency="Bộ phận Một cửa"),
        _state("processing", 4, budget=Duration(2, "working_days"), agency="Phòng chuyên môn"),
        _state("consulting", 4, budget=Duration(1, "working_days"), agency="Cơ quan thuế"),
        _state("tax_payment", 6, "paused", agency="Người nộp thuế", counted=False),
        _state("supplement_requested", 5, "paused", agency="Người nộp hồ sơ"),
        _state("result_ready", 9, "stopped", agency="Bộ phận Một cửa"),
        _state("returned", 10, None, outcome="resolved"),  # type: ignore[arg-type]
        _state("refused", 8, None, outcome="refused"),  # type: ignore[arg-type]
        _state("withdrawn", 7, None, outcome="withdrawn"),  # type: ignore[arg-type]
        _state("closed", 8, None, outcome="cancelled"),  # type: ignore[arg-type]
    )
    states = tuple(
        s if s.clock is not None else State(s.id, s.label, s.public_status, "stopped", outcome=s.outcome)
        for s in states
    )
    open_states = ("received", "processing", "consulting", "tax_payment", "supplement_requested")

    def act(name: str, src: str | tuple[str, ...], dst: str, roles: set[str], **kw: object) -> Action:
        sources = (src,) if isinstance(src, str) else src
        return Action(name, sources, dst, frozenset(roles), **kw)  # type: ignore[arg-type]

    actions = (
        act("accept", "submitted", "received", {"reception"}, issues_form="01"),
        act("assign", "received", "processing", {"reception"}),
        act("request_supplement", ("received", "processing"), "supplement_requested", {"specialist"},
            note_required=True, issues_form="02"),
        act("supplement", "supplement_requested", "received", {"reception"}, effects=("restart_clock",)),
        act("close_no_supplement", "supplement_requested", "closed", {"reception"}),
        act("consult", "processing", "consulting", {"specialist"}),
        act("answer", "consulting", "processing", {"specialist"}),
        act("send_to_tax", "processing", "tax_payment", {"specialist"}),
        act("tax_paid", "tax_payment", "processing", {"reception"}, requires=("tax_receipt",)),
        act("approve", "processing", "result_ready", {"leader"},
            guard=Guard(schema={"type": "object", "required": ["decision_no"],
                                "properties": {"decision_no": {"type": "string", "minLength": 3}}},
                        message="cần số quyết định (decision number needed)")),
        act("approve_checked", "processing", "result_ready", {"leader"},
            guard=Guard(predicate="documents_checked")),
        act("refuse", "processing", "refused", {"leader"}, note_required=True, issues_form="03"),
        act("withdraw", ("submitted", *open_states), "withdrawn", {"reception"}, note_required=True),
        act("reschedule", "processing", "processing", {"leader"}, requires=("new_appointment",),
            note_required=True, issues_form="04", effects=("reschedule",)),
        act("extend", "processing", "processing", {"leader"}, effects=("extend",), extension="verification"),
        act("return_result", "result_ready", "returned", {"reception"}),
    )  # fmt: skip
    return Procedure(
        code=code,
        version=version,
        name=Text("Thủ tục thử nghiệm", "Test procedure"),
        field="Thử nghiệm",
        level="commune",
        agency=Agency("UBND xã Thử", "000.00.99.H99"),
        legal_basis=(),
        effective_from=effective_from,
        effective_to=effective_to,
        roles=("reception", "specialist", "leader"),
        role_definitions=tuple(Role(r, Text(r)) for r in ("reception", "specialist", "leader")),
        states=states,
        actions=actions,
        initial="submitted",
        deadline=Deadline(
            amount,
            "working_days",
            warn_before=Duration(1, "working_days"),
            extensions=(Extension("verification", Duration(5, "working_days")),),
        ),
        channels=("direct", "postal", "online"),
        timers=(Timer("supplement_requested", Duration(15, "working_days"), "close_no_supplement"),),
    )


def catalog(*procs: Procedure) -> Catalog:
    return Catalog(procs or (procedure(),), predicates={"documents_checked"})
