"""The Store protocol: what the engine needs from wherever dossiers live.

One `commit` is one transaction: the new dossier record (state, clocks, data, audit head) and the
audit entries that explain it are written together or not at all. Optimistic concurrency: a commit
names the version it was computed from; if the stored version differs the store raises
ConcurrencyError and writes nothing. docs/stores.md describes the contract; tests/stores/ runs one
contract suite against every implementation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import attrs

from tthc_engine.audit.entry import AuditEntry
from tthc_engine.records import Dossier
from tthc_engine.stores.queries import Cursor, Filter, Group, Incident, Order, Page, WorkScope

if TYPE_CHECKING:  # stores/tally.py builds on Commit: a type-only import keeps one direction at run time
    from tthc_engine.stores.outbox import OutboxEvent
    from tthc_engine.stores.tally import Period, Tally, TallyKey


@attrs.frozen(slots=True)
class Commit:
    """A change ready to persist: the new record, its audit entries and the version it replaces.

    `expected_version` is 0 for a new dossier. `idempotency_key`, when given, is stored with the
    result and the request's `fingerprint` (stores/idempotency.py) so that a retried call returns the
    first result instead of acting twice, and a different call reusing the key is refused.
    `previous` is the record the change was computed from (None for a new dossier): a store compares
    the two to know whether the dossier's report status changed (stores/tally.span_change) without
    reading the stored record again.
    """

    dossier: Dossier
    entries: tuple[AuditEntry, ...]
    expected_version: int
    idempotency_key: str | None = None
    fingerprint: str | None = None
    previous: Dossier | None = None


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

    # --- the desk's queries (stores/queries.py types; in SQL on an index for the durable stores) ---

    def find_number(self, number: str) -> Dossier | None:
        """The dossier with this national number (given at receipt), or None."""
        ...

    def find_reference(self, reference: str) -> Dossier | None:
        """The dossier with this lodgement reference, or None."""
        ...

    def worklist(self, scope: WorkScope, *, after: Cursor | None = None, limit: int = 50) -> Page:
        """Open dossiers in the scope's (procedure, state) pairs, not assigned to someone else,
        ordered by due moment (none last), then id; keyset-paginated from `after`."""
        ...

    def dossiers(
        self, where: Filter, *, order: Order = "due", after: Cursor | None = None, limit: int = 50
    ) -> Page:
        """Dossiers matching `where`, ordered by (due moment, id) or, with order="received", by
        (receipt moment, id) — then only received ones; keyset-paginated from `after`."""
        ...

    def count(self, where: Filter) -> int:
        """How many dossiers match `where`."""
        ...

    def count_by(self, group: Group, where: Filter) -> dict[str | None, int]:
        """How many dossiers matching `where` there are per value of `group` (None: no value)."""
        ...

    # --- sweeps on several workers ---

    def claim_due(self, at: dt.datetime, worker: str, *, lease: dt.timedelta, limit: int = 500) -> list[str]:
        """Claim up to `limit` dossiers due at `at` that no other worker holds, for `lease` (on the
        store's clock), earliest first: two workers never get the same dossier while a lease
        runs; a dead worker's claims expire. A failing dossier is not claimed before its incident's
        retry_at."""
        ...

    def release(self, worker: str, ids: Sequence[str]) -> None:
        """End `worker`'s claims on `ids` (handled) and close their incidents."""
        ...

    def record_failure(self, dossier_id: str, worker: str, reason: str) -> Incident:
        """Count one more failed sweep of a dossier: its incident (opened on the first failure)
        with the reason, and a claim held until its retry_at (stores/queries.backoff)."""
        ...

    def incidents(self, *, limit: int = 100) -> list[Incident]:
        """Open incidents, most failures first (then dossier id)."""
        ...

    def incident_count(self) -> int:
        """How many dossiers have an open incident (a gauge to monitor)."""
        ...

    # --- the outbox (stores/outbox.py; only on a store opened with outbox=True) ---

    def claim_events(self, worker: str, *, lease: dt.timedelta, limit: int = 100) -> list[OutboxEvent]:
        """Claim up to `limit` unacknowledged outbox events for `worker`, for `lease`, oldest first:
        never an event another worker holds under a live lease, nor an event of a dossier one of whose
        events is held under a live lease (so each dossier's events go out in sequence order). An
        expired lease returns its events to the pool (at-least-once delivery). ConfigurationError on
        a store without the outbox."""
        ...

    def ack_events(self, worker: str, ids: Sequence[str]) -> int:
        """Acknowledge delivered events (their `OutboxEvent.id`) held by `worker`: they leave the
        outbox. Events `worker` no longer holds are left alone; returns how many were acknowledged."""
        ...

    def outbox_backlog(self) -> int:
        """How many events are not acknowledged yet (a gauge to monitor)."""
        ...

    # --- reports ---

    def tally(self, period: Period, key: TallyKey | None = None) -> Tally:
        """Every dossier received before `period.end` and not finished before `period.start`, as it
        stood at `period.end` (its report-status span then), counted per key and cell, with the
        processing-time histogram of those decided in the period (stores/tally.py; in SQL)."""
        ...

    def close(self) -> None:
        """Release connections; the store is not used afterwards."""
        ...


def utc_key(moment: dt.datetime) -> str:
    """A fixed-width UTC text form of a moment that sorts in time order (for due-work indexes)."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
