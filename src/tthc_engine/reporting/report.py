"""The report of a period, the way one-stop desks report it (docs/reports.md).

For the period [start, end): dossiers carried over from before + newly received = total to handle,
and each of them in exactly one column as it stood at `end` — resolved early / on time / late,
refused, withdrawn, cancelled, in progress within / past the time (of which paused waiting for the
applicant's supplement). Grouped by agency, field, level, procedure, channel, online-service kind or
sub-period (month, quarter, half-year, year), with the shares (online, postal, on time) and the
processing time in working days (average, median, 90th percentile).

The counting is the store's (`Store.tally`: in SQL for SQLite and PostgreSQL); this module merges
the store's rows into columns and groups with the catalog (field, level and online-service kind are
properties of a procedure version) and computes the shares and statistics. Two dues are kept
(Decree 61/2018/ND-CP Art. 19(9)): the columns early / on time / late / within / past use the legal
due moment (Circular 01/2018/TT-VPCP Art. 13); the `*_appointment` columns and the processing-progress
indicator of Decision 766/QĐ-TTg use the appointment (the rescheduled return date, else the legal due
moment), since it is open which one the national indicator uses.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Literal

import attrs
import pendulum

from tthc_engine.definition.model import Procedure
from tthc_engine.errors import ConfigurationError, DataError
from tthc_engine.records import MINUTES_PER_DAY
from tthc_engine.stores.base import Store
from tthc_engine.stores.tally import MinutesRow, Period, Tally, TallyKey, TallyRow
from tthc_engine.timeutil import moment

GroupBy = Literal[
    "agency", "field", "level", "procedure", "channel", "online_service", "month", "quarter", "half", "year"
]  # fmt: skip
GROUPS: tuple[GroupBy, ...] = (
    "agency", "field", "level", "procedure", "channel", "online_service", "month", "quarter", "half", "year"
)  # fmt: skip
PERIOD_GROUPS: Mapping[str, int] = {"month": 1, "quarter": 3, "half": 6, "year": 12}  # months per period
# Finds the procedure version a tally row names ("code@version"), None when the catalog lacks it.
Lookup = Callable[[str, str], Procedure | None]

CHANNEL_LABELS = {"direct": "Trực tiếp", "postal": "Bưu chính", "online": "Trực tuyến"}
LEVEL_LABELS = {
    "commune": "Cấp xã", "district": "Cấp huyện", "province": "Cấp tỉnh", "ministry": "Cấp bộ",
    "central": "Trung ương",
}  # fmt: skip
ONLINE_LABELS = {"full": "Dịch vụ công trực tuyến toàn trình", "partial": "Dịch vụ công trực tuyến một phần",
                 "none": "Không trực tuyến"}  # fmt: skip
UNKNOWN = "(không rõ)"


@attrs.frozen
class Column:
    """One column of the report: its attribute on `Counts`, Vietnamese and English headings, and
    which due moment it is measured against ("legal", "appointment" or "" for none)."""

    name: str
    vi: str
    en: str
    due: str = ""


# The columns in the order the agencies' tables print them. Exclusive columns (each dossier in
# exactly one): early … overdue; total = carried_over + received = their sum (docs/reports.md).
COLUMNS: tuple[Column, ...] = (
    Column("carried_over", "Kỳ trước chuyển qua", "carried over"),
    Column("received", "Tiếp nhận mới", "newly received"),
    Column("total", "Tổng số phải giải quyết", "total to handle"),
    Column("early", "Đã giải quyết trước hạn", "resolved early", "legal"),
    Column("on_time", "Đã giải quyết đúng hạn", "resolved on time", "legal"),
    Column("late", "Đã giải quyết quá hạn", "resolved late", "legal"),
    Column("refused", "Từ chối giải quyết", "refused"),
    Column("withdrawn", "Rút hồ sơ", "withdrawn"),
    Column("cancelled", "Dừng, hủy", "cancelled"),
    Column("within", "Đang giải quyết trong hạn", "in progress within the time", "legal"),
    Column("overdue", "Đang giải quyết quá hạn", "in progress past the time", "legal"),
    Column("paused", "Trong đó: chờ bổ sung", "of which paused for a supplement"),
)
# fmt: off
APPOINTMENT_COLUMNS: tuple[Column, ...] = (
    Column("early_appointment", "Trước hẹn", "resolved before the appointment", "appointment"),
    Column("on_time_appointment", "Đúng hẹn", "resolved on the appointment", "appointment"),
    Column("late_appointment", "Trễ hẹn", "resolved after the appointment", "appointment"),
    Column(
        "within_appointment", "Đang giải quyết trong hẹn", "in progress within the appointment", "appointment"
    ),
    Column(
        "overdue_appointment", "Đang giải quyết trễ hẹn", "in progress past the appointment", "appointment"
    ),
)
# fmt: on
CHANNEL_COLUMNS: tuple[Column, ...] = (
    Column("direct", "Trực tiếp", "direct"),
    Column("postal", "Qua bưu chính", "by post"),
    Column("online", "Trực tuyến", "online"),
    Column("online_full", "Trong đó: toàn trình", "of which full online service"),
    Column("online_partial", "Trong đó: một phần", "of which partial online service"),
)


@attrs.frozen
class Processing:
    """The processing time of the dossiers decided in the period (resolved or refused), in working
    days of the legal clock, pauses excluded (Dossier.worked_minutes); median and 90th percentile by
    nearest rank. `count` is how many dossiers the figures cover (those with a known time)."""

    count: int
    mean_days: float | None
    median_days: float | None
    p90_days: float | None

    @classmethod
    def of(cls, histogram: Mapping[int, int]) -> Processing:
        n = sum(histogram.values())
        if n == 0:
            return cls(0, None, None, None)
        total = sum(m * c for m, c in histogram.items())
        ordered = sorted(histogram.items())

        def rank(share: float) -> float:
            wanted, seen = max(1, math.ceil(share * n)), 0  # the nearest rank
            for minutes, count in ordered:
                seen += count
                if seen >= wanted:
                    return round(minutes / MINUTES_PER_DAY, 2)
            raise AssertionError("unreachable")

        return cls(n, round(total / n / MINUTES_PER_DAY, 2), rank(0.5), rank(0.9))


def _share(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(100.0 * part / whole, 1)


@attrs.frozen
class Counts:
    """The figures of one row (or of the totals). Counts are of dossiers; shares are percentages
    (None when their base is zero). See COLUMNS for what each column counts and against which due."""

    carried_over: int = 0
    received: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    refused: int = 0
    withdrawn: int = 0
    cancelled: int = 0
    within: int = 0
    overdue: int = 0
    paused: int = 0
    early_appointment: int = 0
    on_time_appointment: int = 0
    late_appointment: int = 0
    within_appointment: int = 0
    overdue_appointment: int = 0
    direct: int = 0
    postal: int = 0
    online: int = 0
    online_full: int = 0
    online_partial: int = 0
    repeated_supplement: int = 0  # asked to supplement more than once (late for Decision 766)
    progress_numerator: int = 0  # Decision 766: finished by the appointment + in progress within it
    # what the host said (te.Feedback), for the other indicators of Decision 766 (docs/reports.md)
    online_electronic: int = 0  # online, with the result returned electronically
    paid_online: int = 0
    digitised: int = 0
    rated: int = 0
    rating_points: int = 0
    processing: Processing = Processing(0, None, None, None)

    @property
    def total(self) -> int:
        return self.carried_over + self.received

    @property
    def resolved(self) -> int:
        return self.early + self.on_time + self.late

    @property
    def in_progress(self) -> int:
        return self.within + self.overdue

    @property
    def on_time_rate(self) -> float | None:
        """Resolved early or on time, of all resolved (by the legal due moment)."""
        return _share(self.early + self.on_time, self.resolved)

    @property
    def online_share(self) -> float | None:
        return _share(self.online, self.total)

    @property
    def postal_share(self) -> float | None:
        return _share(self.postal, self.total)

    @property
    def progress_rate(self) -> float | None:
        """The processing-progress indicator of Decision 766/QĐ-TTg (docs/reports.md)."""
        return _share(self.progress_numerator, self.total)

    @property
    def indicators(self) -> dict[str, dict[str, object]]:
        """Decision 766/QĐ-TTg's indicators the stored data supports, each with its raw numerator and
        denominator (docs/reports.md says each formula and what the host must supply)."""

        def one(numerator: int, denominator: int, host: bool, rate: float | None = None) -> dict[str, object]:
            share = _share(numerator, denominator) if rate is None else rate
            return {"numerator": numerator, "denominator": denominator, "rate": share, "host_supplied": host}

        satisfaction = None if self.rated == 0 else round(100.0 * self.rating_points / (2 * self.rated), 1)
        return {
            "progress": one(self.progress_numerator, self.total, False),
            "online_uptake": one(self.online_electronic, self.total, True),
            "online_payment": one(self.paid_online, self.total, True),
            "digitisation": one(self.digitised, self.total, True),
            "satisfaction": one(self.rating_points, 2 * self.rated, True, satisfaction),
        }

    def value(self, name: str) -> int:
        return int(getattr(self, name))

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {c.name: self.value(c.name) for c in COLUMNS + APPOINTMENT_COLUMNS}
        out.update({c.name: self.value(c.name) for c in CHANNEL_COLUMNS})
        out.update(
            resolved=self.resolved, in_progress=self.in_progress,
            repeated_supplement=self.repeated_supplement, on_time_rate=self.on_time_rate,
            online_share=self.online_share, postal_share=self.postal_share,
            progress={
                "numerator": self.progress_numerator, "denominator": self.total, "rate": self.progress_rate,
            },
            indicators=self.indicators,
            processing_days=attrs.asdict(self.processing),
        )  # fmt: skip
        return out


@attrs.frozen
class ReportRow:
    """One group of the report: its key (agency code, field, level, "code@version", channel,
    online-service kind, or the sub-period's start date), its label in Vietnamese, its figures."""

    key: str
    label: str
    counts: Counts
    start: dt.datetime | None = None  # sub-period rows: their own period
    end: dt.datetime | None = None


@attrs.frozen
class Report:
    """A period report: `totals` over every dossier of the period and one row per group."""

    start: dt.datetime
    end: dt.datetime
    group_by: GroupBy | None
    totals: Counts
    rows: tuple[ReportRow, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "format": "tthc-report/1",
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "as_of": self.end.isoformat(),
            "group_by": self.group_by,
            "totals": self.totals.to_dict(),
            "rows": [
                {
                    "key": r.key,
                    "label": r.label,
                    **({"start": r.start.isoformat()} if r.start else {}),
                    **({"end": r.end.isoformat()} if r.end else {}),
                    **r.counts.to_dict(),
                }
                for r in self.rows
            ],
        }


_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def period_bound(value: dt.date | dt.datetime | str, tz: dt.tzinfo, what: str) -> dt.datetime:
    """A report period's bound: a day (a date or "YYYY-MM-DD") is its midnight in the calendar's zone
    `tz` — so `--from 2021-01-01 --to 2021-10-01` is the first nine months — and a moment is taken
    as given (aware, with its offset: timeutil.moment)."""
    if isinstance(value, str) and _DAY.fullmatch(value):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise DataError(
                f"report {what}={value!r} is not a day of the calendar; write YYYY-MM-DD"
            ) from None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time(0), tz)
    return moment(value, what)


def check_group(group_by: str | None) -> None:
    if group_by is not None and group_by not in GROUPS:
        raise ConfigurationError(
            f"report group_by={group_by!r}: group by one of {', '.join(GROUPS)} (or none for the totals only)"
        )


def build_report(store: Store, lookup: Lookup, period: Period, group_by: GroupBy | None = None) -> Report:
    """The report of `period` from `store`'s tallies, grouped by `group_by` (None: totals only).
    Sub-period groups (month, quarter, half, year) are calendar periods in the zone of
    `period.start`, each a report of its own (carried over at its start, as known at its end)."""
    check_group(group_by)
    tally_key: TallyKey | None = (
        "agency" if group_by == "agency" else "channel" if group_by == "channel" else None
    )
    tally = store.tally(period, tally_key)
    totals = _counts(tally.rows, tally.minutes, lookup)
    rows: list[ReportRow] = []
    if group_by is not None and group_by in PERIOD_GROUPS:
        for sub in sub_periods(period, PERIOD_GROUPS[group_by]):
            part = store.tally(sub)
            counts = _counts(part.rows, part.minutes, lookup)
            day = sub.start.date().isoformat()
            rows.append(ReportRow(day, _period_label(sub, group_by), counts, sub.start, sub.end))
    elif group_by is not None:
        rows = _grouped(tally, group_by, lookup)
    return Report(period.start, period.end, group_by, totals, tuple(rows))


def sub_periods(period: Period, months: int) -> list[Period]:
    """[start, end) cut at calendar boundaries of `months` months (1, 3, 6, 12) counted from January,
    in the zone of `period.start` (pendulum's calendar arithmetic: month ends, leap years)."""
    tz = period.start.tzinfo
    start = pendulum.instance(period.start)
    first = start.start_of("month").set(month=((start.month - 1) // months) * months + 1)
    out: list[Period] = []
    cut = first
    while cut < period.end:
        nxt = cut.add(months=months)
        lo, hi = max(cut, start), min(nxt, pendulum.instance(period.end))
        out.append(Period(_plain(lo, tz), _plain(hi, tz)))
        cut = nxt
    return out


def _plain(moment: dt.datetime, tz: dt.tzinfo | None) -> dt.datetime:
    """A pendulum moment as a plain datetime in `tz` (reports compare and print stdlib datetimes)."""
    return dt.datetime.fromtimestamp(moment.timestamp(), tz)


def _period_label(sub: Period, group_by: str) -> str:
    d = sub.start
    if group_by == "month":
        return f"Tháng {d.month:02d}/{d.year}"
    if group_by == "quarter":
        return f"Quý {(d.month - 1) // 3 + 1}/{d.year}"
    if group_by == "half":
        return f"6 tháng {'đầu' if d.month <= 6 else 'cuối'} năm {d.year}"
    return f"Năm {d.year}"


def _procedure(lookup: Lookup, ref: str) -> Procedure | None:
    code, _, version = ref.partition("@")
    return lookup(code, version)


def _group_key(group_by: str, row: TallyRow | MinutesRow, lookup: Lookup) -> tuple[str, str]:
    """(key, label) of a row in group `group_by`."""
    if group_by in ("agency", "channel"):
        key = row.key or UNKNOWN
        label = CHANNEL_LABELS.get(key, key) if group_by == "channel" else _agency_label(key, row, lookup)
        return key, label
    proc = _procedure(lookup, row.procedure)
    if group_by == "procedure":
        code = row.procedure.partition("@")[0]
        return code, code if proc is None else f"{code} {proc.name.vi}"
    if proc is None:
        return UNKNOWN, UNKNOWN
    if group_by == "field":
        return proc.field, proc.field
    if group_by == "level":
        return proc.level, LEVEL_LABELS.get(proc.level, proc.level)
    return proc.online_service, ONLINE_LABELS.get(proc.online_service, proc.online_service)


def _agency_label(code: str, row: TallyRow | MinutesRow, lookup: Lookup) -> str:
    proc = _procedure(lookup, row.procedure)
    if proc is not None and proc.agency.code == code:
        return f"{code} {proc.agency.name}"
    return code


def _grouped(tally: Tally, group_by: str, lookup: Lookup) -> list[ReportRow]:
    cells: dict[str, list[TallyRow]] = defaultdict(list)
    minutes: dict[str, list[MinutesRow]] = defaultdict(list)
    labels: dict[str, str] = {}
    for row in tally.rows:
        key, label = _group_key(group_by, row, lookup)
        cells[key].append(row)
        labels.setdefault(key, label)
    for m in tally.minutes:
        minutes[_group_key(group_by, m, lookup)[0]].append(m)
    return [
        ReportRow(key, labels[key], _counts(cells[key], minutes.get(key, ()), lookup))
        for key in sorted(cells, key=lambda k: (k == UNKNOWN, k))
    ]


_IN_PROGRESS = ("within", "overdue", "paused_within", "paused_overdue")


def _counts(rows: Iterable[TallyRow], minutes: Iterable[MinutesRow], lookup: Lookup) -> Counts:
    """The figures of a set of tally rows (each row a number of dossiers in one cell)."""
    c: dict[str, int] = defaultdict(int)
    kinds: dict[str, str] = {}
    for r in rows:
        n = r.count
        c["carried_over"] += r.carried
        c["received"] += n - r.carried
        if r.cell in ("early", "on_time", "late", "refused", "withdrawn", "cancelled"):
            c[r.cell] += n
        else:
            c["within" if r.cell in ("within", "paused_within") else "overdue"] += n
            c["paused"] += n if r.cell.startswith("paused") else 0
        if r.cell in ("early", "on_time", "late") or r.cell in _IN_PROGRESS:
            c[f"{r.appointment}_appointment"] += n
        if r.online:
            if r.procedure not in kinds:
                proc = _procedure(lookup, r.procedure)
                kinds[r.procedure] = "none" if proc is None else proc.online_service
            if kinds[r.procedure] in ("full", "partial"):
                c[f"online_{kinds[r.procedure]}"] += r.online
        for name in ("direct", "postal", "online", "online_electronic", "paid_online", "digitised", "rated",
                     "rating_points"):  # fmt: skip
            c[name] += getattr(r, name)
        c["repeated_supplement"] += r.repeated
        c["progress_numerator"] += r.progress  # Decision 766: by the appointment, one supplement at most
    histogram: dict[int, int] = defaultdict(int)
    for m in minutes:
        histogram[m.minutes] += m.count
    return Counts(**c, processing=Processing.of(histogram))


def columns(names: Sequence[str] | None = None) -> tuple[Column, ...]:
    """The printed columns (all, or those named), in order."""
    every = COLUMNS + APPOINTMENT_COLUMNS + CHANNEL_COLUMNS
    if names is None:
        return every
    by_name = {c.name: c for c in every}
    return tuple(by_name[n] for n in names)
