"""Chain verification: find the first entry that was edited, removed, reordered or cut off.

A chain alone cannot show that its tail was cut off, so the store keeps each dossier's head hash and
entry count beside the dossier record, written in the same transaction as the entry; verification
checks the chain against both.
"""

from __future__ import annotations

from collections.abc import Sequence

from tthc_engine.audit.canonical import GENESIS_HASH
from tthc_engine.audit.entry import AuditEntry
from tthc_engine.errors import AuditIntegrityError


def verify_chain(dossier_id: str, entries: Sequence[AuditEntry], *, head_hash: str, count: int) -> None:
    """Raise AuditIntegrityError naming the first bad entry; return None when the chain holds."""
    prev = GENESIS_HASH
    for position, entry in enumerate(entries, start=1):
        if entry.dossier_id != dossier_id:
            raise AuditIntegrityError(
                f"audit entry #{position} of dossier {dossier_id!r} belongs to dossier "
                f"{entry.dossier_id!r}: entries were mixed up; restore the record from a backup",
                dossier_id=dossier_id,
                sequence=position,
            )
        if entry.sequence != position:
            raise AuditIntegrityError(
                f"audit entry #{position} of dossier {dossier_id!r} carries sequence {entry.sequence}: "
                "an entry was removed or the entries were reordered",
                dossier_id=dossier_id,
                sequence=position,
            )
        if entry.prev_hash != prev:
            raise AuditIntegrityError(
                f"audit entry #{position} of dossier {dossier_id!r} does not follow entry #{position - 1} "
                "(prev_hash differs): an entry was removed, inserted or reordered before it",
                dossier_id=dossier_id,
                sequence=position,
            )
        if entry.compute_hash() != entry.hash:
            raise AuditIntegrityError(
                f"audit entry #{position} of dossier {dossier_id!r} was edited: its content no longer "
                "matches its hash",
                dossier_id=dossier_id,
                sequence=position,
            )
        prev = entry.hash
    if len(entries) != count:
        first_missing = min(len(entries), count) + 1
        raise AuditIntegrityError(
            f"dossier {dossier_id!r} has {len(entries)} audit entries but its record says {count}: "
            f"the chain was truncated or extended from entry #{first_missing}",
            dossier_id=dossier_id,
            sequence=first_missing,
        )
    if prev != head_hash:
        raise AuditIntegrityError(
            f"the last audit entry (#{len(entries)}) of dossier {dossier_id!r} does not match the head hash "
            "stored with the dossier: the tail was replaced or the head was edited",
            dossier_id=dossier_id,
            sequence=len(entries) or None,
        )
