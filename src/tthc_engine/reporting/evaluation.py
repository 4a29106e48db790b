"""The evaluation of each dossier (Circular 01/2018/TT-VPCP Art. 13–15), and its summary per agency
and per officer.

Scored per dossier, 2 / 1 / 0 points (Art. 13, scored per dossier by Art. 14(1)):
- index 1, total time against the legal time: early 2, on time 1, late 0 (the record's timeliness);
- index 2, each participating agency's time against its budget: one score per step of the control
  slip that had a budget (the step's own timeliness), given to the step's agency;
- index 3, the times the applicant had to come back to complete the dossier: none 2, once 1, more 0
  — unless the applicant was at fault (host feedback `applicant_fault`: then 1, our reading of
  "trừ trường hợp nguyên nhân do lỗi của người nộp hồ sơ");
- index 4, the agencies the applicant had to contact to complete it: none 2, only the one-stop desk 1,
  more 0. From the host's `agencies_contacted` when given; otherwise derived: no supplement request
  → none (2), a supplement through the desk → the desk only (1) — a documented default;
- index 7, the officers' conduct: only when the host said whether a complaint was upheld
  (`complaint_upheld`): upheld 0, else early 2 / on time 1 / late 0 (our reading for a late dossier
  without complaint, which Art. 13(7) does not name);
- the citizen's rating (host feedback `rating`, 0–2), kept beside the indices.
An index without the information to score it is left out (Art. 15(4)(b)).

Summaries (Art. 15(2)): the score of index i for an agency or an officer is the sum of its
dossiers' points / the number of its dossiers scored on it, to one decimal; the total is the sum of
the index scores. Officers are classified by Art. 15(3)(a): ≥ 5 points "hoàn thành 100% nhiệm vụ",
3.5 to < 5 "hoàn thành từ 70% đến dưới 100%", < 3.5 "hoàn thành dưới 70%". An agency's rank
(Art. 15(3)(b)) also needs indices 5, 6, 8 and 9, which are about the agency, not its dossiers: not
computed here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

import attrs

from tthc_engine.audit.entry import AuditEntry
from tthc_engine.definition.model import SYSTEM_ROLE
from tthc_engine.errors import ConfigurationError
from tthc_engine.records import Dossier
from tthc_engine.records.feedback import fact

INDICES = ("index1", "index2", "index3", "index4", "index7", "rating")
EvaluateBy = Literal["agency", "officer"]
_POINTS = {"early": 2, "on_time": 1, "late": 0}


@attrs.frozen
class StepScore:
    """Index 2 of one step: the agency (and officer who finished it) against the step's budget."""

    state: str
    agency: str | None
    officer: str | None
    points: int


@attrs.frozen
class Evaluation:
    """One dossier's scores (None: not scored — not decided yet, or the information is missing)."""

    dossier_id: str
    number: str | None
    receiving_agency: str | None
    index1: int | None
    index2: tuple[StepScore, ...]
    index3: int | None
    index4: int | None
    index7: int | None
    rating: int | None
    officers: tuple[str, ...]  # who acted on it (the audit trail's actors, the system left out)

    def to_dict(self) -> dict[str, object]:
        return {
            "dossier_id": self.dossier_id, "number": self.number, "receiving_agency": self.receiving_agency,
            "index1": self.index1, "index2": [attrs.asdict(s) for s in self.index2], "index3": self.index3,
            "index4": self.index4, "index7": self.index7, "rating": self.rating,
            "officers": list(self.officers),
        }  # fmt: skip


def evaluate(d: Dossier, entries: Sequence[AuditEntry]) -> Evaluation:
    """The scores of dossier `d` from its record and audit trail (and the host's feedback)."""
    decided = d.timeliness is not None
    index1 = _POINTS[d.timeliness] if d.timeliness is not None else None
    steps = tuple(
        StepScore(s.state, s.agency, s.finished_by, _POINTS[s.timeliness])
        for s in d.steps
        if s.counted and s.due_at is not None and s.timeliness is not None
    )
    fault = fact(d.feedback, "applicant_fault") is True
    index3 = None
    if decided:
        index3 = 2 if d.supplement_requests == 0 else 1 if d.supplement_requests == 1 or fault else 0
    contacted = fact(d.feedback, "agencies_contacted")
    index4 = None
    if contacted is not None:
        index4 = 2 if contacted == 0 else 1 if contacted == 1 else 0
    elif decided:
        index4 = 2 if d.supplement_requests == 0 else 1
    complaint = fact(d.feedback, "complaint_upheld")
    index7 = None if complaint is None else 0 if complaint else index1
    officers = tuple(
        sorted({e.actor for e in entries if e.kind in ("submit", "act") and SYSTEM_ROLE not in e.roles})
    )
    return Evaluation(
        d.id, d.number, d.receiving_agency, index1, steps, index3, index4, index7,
        fact(d.feedback, "rating"), officers,
    )  # fmt: skip


@attrs.frozen
class Score:
    """One index of a summary row: points over the dossiers scored on it (Art. 15(2)(a))."""

    points: int
    scored: int

    @property
    def value(self) -> float | None:
        return None if self.scored == 0 else round(self.points / self.scored, 1)


@attrs.frozen
class EvaluationRow:
    """The summary of one agency or officer over the dossiers of a period."""

    key: str
    dossiers: int
    scores: Mapping[str, Score]

    @property
    def total(self) -> float:
        """The sum of the index scores (the rating is not an index: left out)."""
        return round(sum(s.value or 0.0 for name, s in self.scores.items() if name != "rating"), 1)

    @property
    def classification(self) -> str:
        """An officer's classification by Art. 15(3)(a)."""
        if self.total >= 5:
            return "hoàn thành 100% nhiệm vụ"
        if self.total >= 3.5:
            return "hoàn thành từ 70% đến dưới 100% nhiệm vụ"
        return "hoàn thành dưới 70% nhiệm vụ"

    def to_dict(self) -> dict[str, object]:
        return {
            "key": self.key, "dossiers": self.dossiers,
            **{n: {"score": s.value, "points": s.points, "scored": s.scored} for n, s in self.scores.items()},
            "total": self.total, "classification": self.classification,
        }  # fmt: skip


def summarise(evaluations: Iterable[Evaluation], by: EvaluateBy) -> tuple[EvaluationRow, ...]:
    """Per agency (the receiving agency for indices 1, 3, 4, 7 and the rating; each step's agency for
    index 2) or per officer (every officer who acted on the dossier; for index 2 the officer who
    finished the step), the Art. 15(2) scores."""
    if by not in ("agency", "officer"):
        raise ConfigurationError(f"evaluations(by={by!r}): summarise by 'agency' or 'officer'")
    points: dict[str, dict[str, list[int]]] = defaultdict(lambda: {name: [0, 0] for name in INDICES})
    counted: dict[str, set[str]] = defaultdict(set)
    for e in evaluations:
        holders = [e.receiving_agency or "(không rõ)"] if by == "agency" else list(e.officers)
        for holder in holders:
            counted[holder].add(e.dossier_id)
            for name in ("index1", "index3", "index4", "index7", "rating"):
                value = getattr(e, name)
                if value is not None:
                    points[holder][name][0] += value
                    points[holder][name][1] += 1
        for step in e.index2:
            holder = (step.agency if by == "agency" else step.officer) or "(không rõ)"
            counted[holder].add(e.dossier_id)
            points[holder]["index2"][0] += step.points
            points[holder]["index2"][1] += 1
    return tuple(
        EvaluationRow(key, len(counted[key]), {n: Score(p, c) for n, (p, c) in points[key].items()})
        for key in sorted(points)
    )
