"""Dossier numbers: the national number given at receipt, and the lodgement reference before it.

Decree 61/2018/ND-CP Art. 26 and Circular 01/2018/TT-VPCP Art. 19: a dossier receives its number
(mã số hồ sơ) when it is received — `AGENCYCODE-YYMMDD-XXXX`: the receiving agency's identifier, the
receipt date and a 4-digit sequence of the dossiers that agency received that day. A dossier lodged
online or by post but not yet received has only a lodgement reference; one declined at reception
never consumes a number. The store allocates each sequence inside the transaction that commits the
receipt (or the lodgement), so numbers are unique and gap-free per store under concurrency.

Numbering is pluggable: pass any object with these methods as `Engine(numbering=...)`.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, Protocol

import attrs

from tthc_engine.definition.model import Procedure
from tthc_engine.errors import NumberingError

Overflow = Literal["refuse", "widen"]
NATIONAL_DIGITS = 4  # Circular 01/2018/TT-VPCP Art. 19(1): XXXX, 04 ký tự số


class Numbering(Protocol):
    def agency(self, procedure: Procedure) -> str:
        """The receiving agency's code when the host names none (per call or per desk actor)."""
        ...

    def sequence_key(self, agency: str, day: dt.date) -> str:
        """Which counter a receipt draws from (one per agency per receipt day nationally)."""
        ...

    def format(self, agency: str, day: dt.date, sequence: int) -> str:
        """The national number of the allocated sequence (1, 2, …)."""
        ...

    def lodgement_key(self, day: dt.date) -> str:
        """Which counter a lodgement (not yet received) draws its reference from."""
        ...

    def lodgement_reference(self, day: dt.date, sequence: int) -> str:
        """The lodgement reference of the allocated sequence: never shaped like a national number."""
        ...


@attrs.frozen
class NationalNumbering:
    """`AGENCYCODE-YYMMDD-XXXX` at receipt; `NOP-YYMMDD-NNNNNN` (nộp: lodged) before it.

    The agency is the one that receives: the host names it per call (`act(..., agency=...)`) or per
    desk (`Actor(..., agency=...)`), a public administration centre receiving for many communes
    included (Decree 118/2025/ND-CP). Without one it is `agency_code` when given, else the
    procedure's `agency.code`, else the procedure code (a catalog without agency codes still numbers
    uniquely; set the codes for numbers the national portal accepts).

    Past 9999 receipts of one agency in one day the 4-digit sequence is exhausted. `overflow="refuse"`
    (the default) raises NumberingError and writes nothing, so no number outside the national format
    is ever issued — the operator gives the desk a second agency code; `overflow="widen"` issues 5
    digits (10000, …), which a portal checking the format may reject.
    """

    agency_code: str | None = None
    overflow: Overflow = "refuse"

    def agency(self, procedure: Procedure) -> str:
        return self.agency_code or procedure.agency.code or procedure.code

    def sequence_key(self, agency: str, day: dt.date) -> str:
        return f"{agency}-{_yymmdd(day)}"

    def format(self, agency: str, day: dt.date, sequence: int) -> str:
        if sequence >= 10**NATIONAL_DIGITS and self.overflow == "refuse":
            raise NumberingError(
                f"agency {agency} has received {10**NATIONAL_DIGITS - 1} dossiers on {day:%d/%m/%Y}: the "
                f"national number has {NATIONAL_DIGITS} digits (Circular 01/2018/TT-VPCP Art. 19); "
                "receive under a second agency code, or use NationalNumbering(overflow='widen')",
                action="receive",
            )
        return f"{agency}-{_yymmdd(day)}-{sequence:0{NATIONAL_DIGITS}d}"

    def lodgement_key(self, day: dt.date) -> str:
        return f"lodgement-{_yymmdd(day)}"

    def lodgement_reference(self, day: dt.date, sequence: int) -> str:
        return f"NOP-{_yymmdd(day)}-{sequence:06d}"


def _yymmdd(day: dt.date) -> str:
    """YYMMDD of Circular 01/2018/TT-VPCP Art. 19 (the receipt date), without strftime's cost."""
    return f"{day.year % 100:02d}{day.month:02d}{day.day:02d}"
