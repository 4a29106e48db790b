"""Dossier numbers. Default: the national pattern AGENCYCODE-YYMMDD-XXXX.

Decree 61/2018/ND-CP Art. 26 and Circular 01/2018/TT-VPCP Art. 19: the receiving agency's
identifier, the receipt date, and a sequence within the day. The store allocates the sequence inside
the transaction that creates the dossier, so numbers are unique per store under concurrency.
Numbering is pluggable: pass any object with these two methods as `Engine(numbering=...)`.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

import attrs

from tthc_engine.definition.model import Procedure


class Numbering(Protocol):
    def sequence_key(self, procedure: Procedure, day: dt.date) -> str:
        """Which counter the dossier draws from (one per agency per day in the national pattern)."""
        ...

    def format(self, procedure: Procedure, day: dt.date, sequence: int) -> str:
        """The dossier number for the allocated sequence (1, 2, …)."""
        ...


@attrs.frozen
class NationalNumbering:
    """`AGENCYCODE-YYMMDD-XXXX`; at least 4 digits (a 10,000th dossier in a day gets 5).

    The agency code is `agency_code` when given (one desk numbering every procedure it receives),
    else the procedure's `agency.code`, else the procedure code (so a catalog without agency codes
    still numbers uniquely; set the codes for numbers the national portal accepts).
    """

    agency_code: str | None = None

    def _agency(self, procedure: Procedure) -> str:
        return self.agency_code or procedure.agency.code or procedure.code

    def sequence_key(self, procedure: Procedure, day: dt.date) -> str:
        return f"{self._agency(procedure)}-{day:%y%m%d}"

    def format(self, procedure: Procedure, day: dt.date, sequence: int) -> str:
        return f"{self._agency(procedure)}-{day:%y%m%d}-{sequence:04d}"
