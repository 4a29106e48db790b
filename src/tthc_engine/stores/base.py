"""The Store protocol: what the engine needs from wherever dossiers live.

One `commit` is one transaction: the new dossier record (state, clocks, data, audit head) and the
audit entries that explain it are written together or not at all. Optimistic concurrency: a commit
names the version it was computed from; if the stored version differs the store raises
ConcurrencyError and writes nothing. docs/stores.md describes the contract; tests/stores/ runs one
contract suite against every implementation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Protocol, runtime_checkable

import attrs

from tthc_engine.audit.entry import AuditEntry
from tthc_engine.records import Dossier


@attrs.frozen(slots=True)
class Commit:
    """A change ready to persist: the new record, its audit entries and the version it replaces.

    `expected_version` is 0 for a new dossier. `idempotency_key`, when given, is stored with the
    result and the request's `fingerprint` (stores/idempotency.py) so that a retried call returns the
    first result instead of acting twice, and a different call reusing the key is refused.
    """

    dossier: Dossier
    entries: tuple[AuditEntry, ...]
    expected_version: int
    idempotency_key: str | None = None
    fingerprint: str | None = None


@runtime_checkable
class Store(Protocol):
    """Where dossiers and their audit chains live (MemoryStore, SQLiteStore, PostgresStore)."""

    def create(self, build: Callable[[int], Commit], *, sequence_key: str) -> tuple[Dossier, bool]:
        """Insert a new dossier in one transaction.

        The store allocates the next number of `sequence_key` (1, 2, … per key, unique per store)
        inside the transaction and calls `build(sequence)` for the Commit to write, so a dossier
        number is never handed out twice even under concurrency. Returns (dossier, replayed):
        replayed is True when the commit's idempotency key was already used for the same request
        (equal fingerprints, or none stored) and the first result is returned instead; a key used
        for a different request raises ConcurrencyError (stores/idempotency.check_reuse).
        """
        ...

    def commit(self, commit: Commit) -> tuple[Dossier, bool]:
        """Write an update if the stored version still equals `commit.expected_version`.

        Raises ConcurrencyError (nothing written) otherwise, UnknownDossier if the dossier does not
        exist. Returns (dossier, replayed) like `create`.
        """
        ...

    def commit_numbered(self, build: Callable[[int], Commit], *, sequence_key: str) -> tuple[Dossier, bool]:
        """`commit` of a change that needs a number: a receipt. The store allocates the next number
        of `sequence_key` inside the transaction and calls `build(sequence)` for the Commit, so the
        number is consumed only if the commit is written (a refused or failed receipt, a replayed
        idempotency key, a version conflict consume none: numbers stay gap-free). Raises like
        `commit`; an error raised by `build` writes nothing and propagates."""
        ...

    def load(self, dossier_id: str) -> Dossier:
        """The current record; UnknownDossier if absent."""
        ...

    def entries(self, dossier_id: str) -> list[AuditEntry]:
        """The audit chain in sequence order, exactly as stored (verification must see edits)."""
        ...

    def recall(self, idempotency_key: str, fingerprint: str | None = None) -> Dossier | None:
        """The result first committed under this idempotency key, or None. With a `fingerprint`,
        ConcurrencyError if the key was stored for a different request (check_reuse)."""
        ...

    def due(self, at: dt.datetime, *, limit: int = 500) -> list[str]:
        """Ids of dossiers whose next_check_at is at or before `at`, earliest first (an index, no scan)."""
        ...

    def close(self) -> None:
        """Release connections; the store is not used afterwards."""
        ...


def utc_key(moment: dt.datetime) -> str:
    """A fixed-width UTC text form of a moment that sorts in time order (for due-work indexes)."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
