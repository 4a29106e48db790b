"""StartPolicy: how the moment of receipt becomes the moment the legal clock starts counting.

Catalog-configurable data, because the rules differ by channel and have changed by decree
(Decree 61/2018/ND-CP Art. 17, Decree 297/2025/ND-CP Art. 6(3)); docs/deadlines.md "Start policy"
documents each default.
"""

from __future__ import annotations

import datetime as dt

import attrs

from tthc_engine.calendar.workcalendar import WorkCalendar
from tthc_engine.definition.model import Convention
from tthc_engine.timeutil import aware

# Law on Civil Status 2014 Art. 5(3); Decree 23/2015/ND-CP Art. 7: received after 15:00 → next working day.
DEFAULT_CUTOFF = dt.time(15, 0)


def _fmt(moment: dt.datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M} ({moment:%a})"


@attrs.frozen
class StartPolicy:
    """When the clock starts, per channel.

    - `defer_outside_hours`: channels whose receipt outside office hours or on a non-working day counts
      from the next working moment. Default online only (common practice; UNCONFIRMED as a general
      rule). A direct receipt is recorded to the minute (Decree 61/2018 Art. 17), and so is a postal
      one: it is received at the hand-over signed by the postal employee and the desk (Decision
      45/2016/QĐ-TTg Art. 7(4)).
    - `online_last_hour_next_day`: Decree 297/2025 Art. 6(3): online submissions in the last office hour
      (`last_hour` hours before the close of the day) count from the next working day. Default on.
    - `convention`: the catalog default counting convention; when set it overrides Deadline.convention.
    - `default_cutoff`: the same-day cut-off when a Deadline gives none.
    """

    defer_outside_hours: frozenset[str] = frozenset({"online"})
    online_last_hour_next_day: bool = True
    last_hour: float = 1.0
    convention: Convention | None = None
    default_cutoff: dt.time = DEFAULT_CUTOFF

    def _rule(self, calendar: WorkCalendar, received: dt.datetime, channel: str) -> str | None:
        """Which deferral applies to a receipt (already in the calendar's zone): "outside" hours,
        the online "last_hour", or None (counting starts at the receipt itself)."""
        if channel in self.defer_outside_hours and not calendar.is_working_moment(received):
            return "outside"
        if (
            channel == "online"
            and self.online_last_hour_next_day
            and calendar.is_working_day(received.date())
        ):
            close = calendar.end_of_working_day(received.date())
            if close - dt.timedelta(hours=self.last_hour) <= received < close:
                return "last_hour"
        return None

    def start_at(self, calendar: WorkCalendar, received_at: dt.datetime, channel: str) -> dt.datetime:
        """The counting start for a receipt (the arithmetic of `start`, without the words)."""
        received = aware(received_at, "received_at").astimezone(calendar.tz)
        rule = self._rule(calendar, received, channel)
        if rule == "outside":
            return calendar.next_working_moment(received)
        if rule == "last_hour":
            return calendar.start_of_working_day(calendar.add_working_days(received.date(), 1))
        return received

    def start(
        self, calendar: WorkCalendar, received_at: dt.datetime, channel: str
    ) -> tuple[dt.datetime, list[str]]:
        """The counting start for a receipt, and the explanation lines."""
        received = aware(received_at, "received_at").astimezone(calendar.tz)
        lines = [f"Tiếp nhận (received) {_fmt(received)}, kênh (channel) {channel}"]
        start = self.start_at(calendar, received, channel)
        rule = self._rule(calendar, received, channel)
        if rule == "outside":
            why = (
                "ngày không làm việc"
                if not calendar.is_working_day(received.date())
                else "ngoài giờ hành chính"
            )
            lines.append(
                f"Tiếp nhận {why} (outside office hours): tính từ thời điểm làm việc kế tiếp {_fmt(start)}"
            )
        elif rule == "last_hour":
            lines.append(
                f"Nộp trực tuyến trong giờ làm việc cuối ngày: tính từ ngày làm việc tiếp theo "
                f"{_fmt(start)} "
                "(Nghị định 297/2025/NĐ-CP Điều 6(3))"
            )
        return start, lines
