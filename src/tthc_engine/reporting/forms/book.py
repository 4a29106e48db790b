"""Form 06, the tracking book (Sổ theo dõi hồ sơ) of one desk for a period, as a projection of records.

Circular 01/2018/TT-VPCP Art. 10(2): the book is opened per year and its entries are numbered
continuously from the first receipt of the year (a new book goes on with the numbers, it never starts
again at 01). So an entry's number is its rank among the desk's receipts since 1 January of its year,
and the caller passes every record of the desk for that year (a period's page of the book is then a
slice of it, with the same numbers it would have in the full book).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from tthc_engine.audit.entry import AuditEntry
from tthc_engine.definition.model import Procedure
from tthc_engine.errors import ConfigurationError
from tthc_engine.records import Dossier
from tthc_engine.reporting.forms.model import VN, data_at, date_vi, moment_vi
from tthc_engine.reporting.forms.model import _applicant as applicant_of

Record = tuple[Dossier, Sequence[AuditEntry], Procedure]


def book_fields(records: Iterable[Record], *, agency: str, start: dt.date, end: dt.date) -> dict[str, Any]:
    """The book's rows for dossiers received by `agency` from `start` to `end` (inclusive, Vietnam
    dates), numbered through the year of `start`."""
    if end < start or start.year != end.year:
        raise ConfigurationError(
            f"the tracking book covers a period within one year (Circular 01/2018/TT-VPCP Art. 10(2)): "
            f"got {start.isoformat()} to {end.isoformat()}"
        )
    received = []
    for dossier, entries, proc in records:
        receipt = next((e for e in entries if "number" in e.clock), None)
        if receipt is None or dossier.receiving_agency != agency:
            continue
        day = receipt.at.astimezone(VN).date()
        if day.year == start.year and day <= end:
            received.append((receipt.at, dossier.number or "", dossier, entries, proc, receipt))
    received.sort(key=lambda r: (r[0], r[1]))
    names = sorted({r[4].agency.name for r in received})
    rows = []
    for no, (at, _n, dossier, entries, proc, receipt) in enumerate(received, start=1):
        if at.astimezone(VN).date() < start:
            continue
        rows.append(_row(no, dossier, entries, proc, receipt))
    last = dt.datetime.combine(end, dt.time(12), VN)
    return {
        "form": "06", "agency_code": agency, "number": "",
        "agency_name": names[0] if len(names) == 1 else agency,  # one desk may serve several agencies
        "period_from": f"{start.day:02d}/{start.month:02d}/{start.year}",
        "period_to": f"{end.day:02d}/{end.month:02d}/{end.year}",
        "issued_date": date_vi(last), "rows": rows,
    }  # fmt: skip


def _row(
    no: int, d: Dossier, entries: Sequence[AuditEntry], proc: Procedure, receipt: AuditEntry
) -> dict[str, Any]:
    data = data_at(entries, entries[-1].sequence)
    who = applicant_of(data)
    steps = [s for s in d.steps if s.entered_at >= receipt.at]
    handed = next((s for s in steps if s.agency and s.agency != steps[0].agency), None) if steps else None
    returned = next((e for e in entries if e.to_state in _final_resolved(proc) and e.from_state), None)
    clock: Mapping[str, Any] = receipt.clock
    recv = clock.get("received_at")
    return {
        "no": no, "number": d.number or "", "procedure": proc.name.vi, "sets": str(data.get("sets", 1)),
        "applicant": who["name"], "contact": ", ".join(v for v in (who["address"], who["phone"]) if v),
        "agency": proc.agency.name,
        "received_at": moment_vi(recv.get("to") if isinstance(recv, Mapping) else receipt.at.isoformat()),
        "appointment_at": moment_vi(d.appointment_at),
        "handed_over_at": moment_vi(None if handed is None else handed.entered_at),
        "result_at": moment_vi(d.finished_at),
        "returned_at": moment_vi(None if returned is None else returned.at),
        "remark": "" if d.outcome in (None, "resolved") else d.outcome,
    }  # fmt: skip


def _final_resolved(proc: Procedure) -> set[str]:
    return {s.id for s in proc.states if s.outcome == "resolved"}
