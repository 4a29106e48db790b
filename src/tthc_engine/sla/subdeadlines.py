"""Legal sub-deadlines inside the processing time, and the flags an act leaves when it breaks one.

The processing time is not the only deadline an agency must keep: the law also fixes how late it may
ask for a supplement and how late it may apologise, so that neither can be used to win time. These
are data — the durations with their sources, overridable per engine (`EnginePolicy.subdeadlines`) —
and the flag codes are stable: reports and forms count them.

- A supplement request must come within 3 working days of receipt (Decree 61/2018/ND-CP Art. 19(4),
  unless a specialised law says otherwise); and once: a second request on the same dossier is counted
  against the agency by the national portal's progress indicator (Decision 766/QĐ-TTg, 2022).
- The apology with a new appointment comes at the latest one working day before the legal due date
  (Art. 19(9)).
- A consulted agency answers within the time the consulting agency gave it (Art. 19(5)): the budget of
  a state marked `consultation: true`; a later answer is flagged against the consulted agency.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType

import attrs

from tthc_engine.definition.model import Duration

LATE_SUPPLEMENT_REQUEST = "late_supplement_request"
REPEATED_SUPPLEMENT_REQUEST = "repeated_supplement_request"
LATE_APOLOGY = "late_apology"
LATE_CONSULTATION = "late_consultation"

# flag code -> (Vietnamese label / English, legal source)
FLAGS: Mapping[str, tuple[str, str]] = MappingProxyType({
    LATE_SUPPLEMENT_REQUEST: (
        "Yêu cầu bổ sung quá 03 ngày làm việc kể từ ngày tiếp nhận / late supplement request",
        "Nghị định 61/2018/NĐ-CP Điều 19 khoản 4",
    ),
    REPEATED_SUPPLEMENT_REQUEST: (
        "Yêu cầu bổ sung hồ sơ lần thứ hai trở lên / repeated supplement request",
        "Nghị định 61/2018/NĐ-CP Điều 19 khoản 4; Quyết định 766/QĐ-TTg (chỉ số tiến độ)",
    ),
    LATE_APOLOGY: (
        "Xin lỗi, hẹn lại muộn hơn 01 ngày làm việc trước hạn / late apology",
        "Nghị định 61/2018/NĐ-CP Điều 19 khoản 9",
    ),
    LATE_CONSULTATION: (
        "Cơ quan được lấy ý kiến trả lời quá thời hạn / consultation answered late",
        "Nghị định 61/2018/NĐ-CP Điều 19 khoản 5",
    ),
})  # fmt: skip


@attrs.frozen
class SubDeadlines:
    """The durations the sub-deadline checks use (documented defaults, with their sources above)."""

    supplement_request_within: Duration = attrs.field(factory=lambda: Duration(3, "working_days"))
    apology_before: Duration = attrs.field(factory=lambda: Duration(1, "working_days"))


def with_flag(flags: tuple[str, ...], flag: str) -> tuple[str, ...]:
    """`flags` with `flag` added (sorted, once): a flag, once raised, stays on the record."""
    return flags if flag in flags else tuple(sorted((*flags, flag)))


def late(at: dt.datetime, limit: dt.datetime) -> bool:
    """An act at `at` is late against `limit` when it comes after it (the limit itself is in time)."""
    return at > limit
