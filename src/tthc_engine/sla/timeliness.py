"""Timeliness of a dossier against its legal due moment (Circular 01/2018/TT-VPCP Art. 13–14).

Finished on a calendar date before the due date → early (trước hạn); on the due date and not after the
due moment → on time (đúng hạn); after the due moment → late (quá hạn). Dates are compared in the due
moment's own time zone, so "the same day" means the same day where the deadline was set.

Which outcomes are measured at all is data (`OUTCOME_RULES`, overridable by the host through
`EnginePolicy.outcomes`): timeliness belongs to the decisions the agency must make in time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal

import attrs

from tthc_engine.definition.model import Outcome
from tthc_engine.timeutil import aware

Timeliness = Literal["early", "on_time", "late"]
Progress = Literal["within", "overdue"]


def classify(due_at: dt.datetime, finished_at: dt.datetime) -> Timeliness:
    return classify_aware(aware(due_at, "due_at"), aware(finished_at, "finished_at"))


def classify_aware(due: dt.datetime, finished: dt.datetime) -> Timeliness:
    """`classify` for moments already known to be aware (the engine's step hand-overs)."""
    if finished > due:
        return "late"
    if finished.astimezone(due.tzinfo).date() < due.date():
        return "early"
    return "on_time"


def progress(due_at: dt.datetime, now: dt.datetime) -> Progress:
    """For unfinished dossiers: still within the time (up to and including the due moment) or overdue."""
    return "within" if aware(now, "now") <= aware(due_at, "due_at") else "overdue"


@attrs.frozen
class OutcomeRule:
    """Whether a dossier finishing with `outcome` is measured against its legal due moment, and why."""

    outcome: Outcome
    timed: bool
    source: str


# The documented defaults. A withdrawal is the applicant's decision and a cancellation (declined at
# reception, closed for want of a supplement) ends the dossier without a decision on it: neither is
# early, on time or late.
OUTCOME_RULES: Mapping[str, OutcomeRule] = MappingProxyType({
    "resolved": OutcomeRule(
        "resolved", True,
        "Nghị định 61/2018/NĐ-CP Điều 19; Thông tư 01/2018/TT-VPCP Điều 13 (giải quyết trước hạn, đúng hạn, "
        "quá hạn)",
    ),
    "refused": OutcomeRule(
        "refused", True,
        "Nghị định 61/2018/NĐ-CP Điều 19 khoản 8: thông báo từ chối trong thời hạn giải quyết",
    ),
    "withdrawn": OutcomeRule(
        "withdrawn", False,
        "Nghị định 118/2025/NĐ-CP Điều 21: dừng giải quyết theo đề nghị của người nộp, không phải quyết định "
        "của cơ quan",
    ),
    "cancelled": OutcomeRule(
        "cancelled", False,
        "Nghị định 61/2018/NĐ-CP Điều 17 (không tiếp nhận) và Nghị định 297/2025/NĐ-CP Điều 6 khoản 4 điểm a "
        "(dừng do không bổ sung): không có quyết định giải quyết",
    ),
})  # fmt: skip


def timed(rules: Mapping[str, OutcomeRule], outcome: str) -> bool:
    """Whether `outcome` is measured (an outcome missing from `rules` is: the conservative reading)."""
    rule = rules.get(outcome)
    return True if rule is None else rule.timed
