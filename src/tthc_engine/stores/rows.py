"""Reading stored rows back: the one place a stored text becomes a record or an audit entry.

A row edited or damaged behind the store's back — text that is not JSON, a missing key, a wrong type,
bytes that are not UTF-8 — must not surface as a raw JSONDecodeError or KeyError from deep inside a
read: a damaged record is a StoreError naming the store and the dossier, a damaged audit entry an
AuditIntegrityError naming the dossier and the entry, each saying what to do (restore the row from a
backup, then `verify`).
"""

from __future__ import annotations

import json
from typing import Any

from tthc_engine.audit.entry import AuditEntry
from tthc_engine.errors import AuditIntegrityError, StoreError
from tthc_engine.records import Dossier


def _text(raw: Any) -> str:
    return raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)


def record(where: str, dossier_id: str, raw: Any) -> Dossier:
    """The Dossier stored as `raw` (canonical JSON text) in the row of `dossier_id`."""
    try:
        return Dossier.from_dict(json.loads(_text(raw)))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise StoreError(
            f"{where}: the stored record of dossier {dossier_id!r} is damaged ({type(exc).__name__}: "
            f"{exc}); restore that row from a backup, then run verify on the dossier"
        ) from exc


def entry(dossier_id: str, sequence: int | None, raw: Any) -> AuditEntry:
    """The AuditEntry stored as `raw` for entry `sequence` of `dossier_id`."""
    try:
        return AuditEntry.from_dict(json.loads(_text(raw)))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise AuditIntegrityError(
            f"audit entry #{sequence} of dossier {dossier_id!r} cannot be read ({type(exc).__name__}: "
            f"{exc}): the stored row was damaged or edited; restore it from a backup",
            dossier_id=dossier_id,
            sequence=sequence,
        ) from exc


class Remembered:
    """The records a store last wrote or read, with their stored text: a read parses a record only
    when the stored text differs from the remembered one (an act reads the record the act before it
    wrote; an edit made behind the store's back changes the text, so it is still seen). Records are
    immutable, so sharing them is safe. Bounded: cleared when it holds `size` records."""

    def __init__(self, where: str, size: int = 4096) -> None:
        self.where, self.size = where, size
        self._known: dict[str, tuple[str, Dossier]] = {}

    def record(self, dossier_id: str, body: str) -> Dossier:
        """The record stored as `body`, parsed only when the text differs from the one last seen."""
        known = self._known.get(dossier_id)
        if known is not None and known[0] == body:  # exactly the text last written or read
            return known[1]
        dossier = record(self.where, dossier_id, body)
        self.keep(dossier, body)
        return dossier

    def keep(self, dossier: Dossier, body: str) -> None:
        known = self._known
        if len(known) >= self.size:
            known.clear()
        known[dossier.id] = (body, dossier)
