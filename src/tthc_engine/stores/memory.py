"""MemoryStore: the in-process store for tests, demos and short-lived workers.

Same contract as the durable stores (tests/stores/ runs the same suite): one lock makes each
create/commit atomic; nothing survives the process. With `outbox=True` each commit also keeps its
events (stores/outbox.py) for a relay in the same process — useful in tests and demos of a relay;
a host that needs events to survive a crash uses a durable store's outbox.
"""

from __future__ import annotations

import datetime as dt
import heapq
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

import attrs

from tthc_engine.audit.entry import AuditEntry
from tthc_engine.errors import ConcurrencyError, StoreError, UnknownDossier
from tthc_engine.records import Dossier
from tthc_engine.stores import outbox as ob
from tthc_engine.stores.base import Commit
from tthc_engine.stores.idempotency import check_reuse
from tthc_engine.stores.queries import (
    Cursor,
    Filter,
    Group,
    Incident,
    Order,
    Page,
    WorkScope,
    agency_of,
    backoff,
    check_group,
    cursor_key,
    in_scope,
    matches,
    sort_key,
)  # fmt: skip
from tthc_engine.stores.tally import Period, Span, Tally, TallyKey, apply_change, span_change, tally_spans


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _page(found: Iterable[Dossier], order: Order, after: Cursor | None, limit: int) -> Page:
    rows = sorted(found, key=lambda d: sort_key(d, order))
    if after is not None:
        start = cursor_key(after, order)
        rows = [d for d in rows if sort_key(d, order) > start]
    items = tuple(rows[:limit])
    more = len(rows) > limit
    return Page(items, Cursor.after_row(items[-1], order) if more and items else None)


class MemoryStore:
    """Dossiers, audit chains, sequences and idempotency keys in dicts guarded by one lock.

    Records are immutable, so readers get the stored objects without copying. Due work is found
    through a heap of (next_check_at, id) with lazy deletion of stale items.
    """

    def __init__(self, *, outbox: bool = False) -> None:
        self.outbox = outbox
        # (dossier_id, sequence) -> (event, claimed_by, claim_until), in commit order (dicts keep it)
        self._outbox: dict[tuple[str, int], tuple[ob.OutboxEvent, str | None, dt.datetime | None]] = {}
        self._lock = threading.Lock()
        self._dossiers: dict[str, Dossier] = {}
        self._entries: dict[str, list[AuditEntry]] = {}
        self._sequences: dict[str, int] = {}
        self._numbers: set[str] = set()
        self._references: set[str] = set()
        self._keys: dict[str, tuple[Dossier, str | None]] = {}  # key -> (first result, fingerprint)
        self._due: list[tuple[float, str]] = []  # (next_check_at timestamp, id); lazily deleted
        self._claims: dict[str, tuple[str, dt.datetime]] = {}  # id -> (worker, until)
        self._incidents: dict[str, Incident] = {}
        self._spans: dict[str, list[Span]] = {}  # id -> report-status spans (stores/tally.py)

    def create(self, build: Callable[[int], Commit], *, sequence_key: str) -> tuple[Dossier, bool]:
        with self._lock:
            sequence = self._sequences.get(sequence_key, 0) + 1
            commit = build(sequence)
            key = commit.idempotency_key
            if key is not None and key in self._keys:
                return self._replay(key, commit), True
            dossier = commit.dossier
            if dossier.id in self._dossiers:
                raise StoreError(f"dossier id {dossier.id!r} already exists in this MemoryStore")
            self._check_numbers(dossier)
            self._sequences[sequence_key] = sequence
            self._claim_numbers(dossier)
            self._dossiers[dossier.id] = dossier
            for e in commit.entries:
                e.release_text()
            self._entries[dossier.id] = list(commit.entries)
            self._keep_spans(commit)
            self._keep_events(commit)
            self._index(dossier)
            if key is not None:
                self._keys[key] = (dossier, commit.fingerprint)
            return dossier, False

    def commit(self, commit: Commit) -> tuple[Dossier, bool]:
        with self._lock:
            return self._commit(commit)

    def commit_numbered(self, build: Callable[[int], Commit], *, sequence_key: str) -> tuple[Dossier, bool]:
        with self._lock:
            sequence = self._sequences.get(sequence_key, 0) + 1
            dossier, replayed = self._commit(build(sequence))
            if not replayed:
                self._sequences[sequence_key] = sequence
            return dossier, replayed

    def _check_numbers(self, dossier: Dossier, current: Dossier | None = None) -> None:
        """A number or reference the dossier did not hold before must be new to the store."""
        for value, held, taken, what in (
            (dossier.number, current and current.number, self._numbers, "number"),
            (dossier.reference, current and current.reference, self._references, "lodgement reference"),
        ):
            if value is not None and value != held and value in taken:
                raise StoreError(
                    f"dossier {what} {value!r} already exists: the numbering must use the sequence "
                    "the store allocates"
                )

    def _claim_numbers(self, dossier: Dossier) -> None:
        if dossier.number is not None:
            self._numbers.add(dossier.number)
        if dossier.reference is not None:
            self._references.add(dossier.reference)

    def _commit(self, commit: Commit) -> tuple[Dossier, bool]:
        """`commit` under the lock."""
        dossier = commit.dossier
        key = commit.idempotency_key
        if key is not None and key in self._keys:
            return self._replay(key, commit), True
        current = self._dossiers.get(dossier.id)
        if current is None:
            raise UnknownDossier(f"no dossier {dossier.id!r} in this MemoryStore", dossier_id=dossier.id)
        if current.version != commit.expected_version:
            raise ConcurrencyError(
                f"dossier changed meanwhile: stored version {current.version}, this change was "
                f"computed from version {commit.expected_version}; reload and retry",
                dossier_id=dossier.id,
                state=current.state,
            )
        if dossier.number is not current.number or dossier.reference is not current.reference:
            self._check_numbers(dossier, current)  # a receipt: its number must be new
            self._claim_numbers(dossier)
        self._dossiers[dossier.id] = dossier
        for e in commit.entries:
            e.release_text()  # kept as objects: their text would be held for nothing
        self._entries[dossier.id].extend(commit.entries)
        self._keep_spans(commit)
        self._keep_events(commit)
        if dossier.next_check_at is not None and dossier.next_check_at != current.next_check_at:
            self._index(dossier)
        if key is not None:
            self._keys[key] = (dossier, commit.fingerprint)
        return dossier, False

    def _keep_spans(self, commit: Commit) -> None:
        change = span_change(commit)
        if change is not None:
            apply_change(self._spans.setdefault(commit.dossier.id, []), change)

    def _keep_events(self, commit: Commit) -> None:
        if self.outbox:
            for dossier_id, sequence, kind, event, at, payload in ob.rows(commit):
                made = ob.OutboxEvent(dossier_id, sequence, kind, event, at, payload)
                self._outbox[(dossier_id, sequence)] = (made, None, None)

    def _replay(self, key: str, commit: Commit) -> Dossier:
        first, fingerprint = self._keys[key]
        check_reuse(key, fingerprint, commit.fingerprint, dossier_id=first.id)
        return first

    def _index(self, dossier: Dossier) -> None:
        if dossier.next_check_at is not None:
            heapq.heappush(self._due, (dossier.next_check_at.timestamp(), dossier.id))
        if len(self._due) > 4 * len(self._dossiers) + 64:  # drop stale items now and then
            self._due = [
                (d.next_check_at.timestamp(), d.id)
                for d in self._dossiers.values()
                if d.next_check_at is not None
            ]
            heapq.heapify(self._due)

    def load(self, dossier_id: str) -> Dossier:
        try:
            return self._dossiers[dossier_id]
        except KeyError:
            raise UnknownDossier(
                f"no dossier {dossier_id!r} in this MemoryStore (check the id returned by submit)",
                dossier_id=dossier_id,
            ) from None

    def entries(self, dossier_id: str) -> list[AuditEntry]:
        with self._lock:
            if dossier_id not in self._entries:
                raise UnknownDossier(f"no dossier {dossier_id!r} in this MemoryStore", dossier_id=dossier_id)
            return list(self._entries[dossier_id])

    def recall(self, idempotency_key: str, fingerprint: str | None = None) -> Dossier | None:
        found = self._keys.get(idempotency_key)
        if found is None:
            return None
        check_reuse(idempotency_key, found[1], fingerprint, dossier_id=found[0].id)
        return found[0]

    def due(self, at: dt.datetime, *, limit: int = 500) -> list[str]:
        found: list[str] = []
        keep: list[tuple[float, str]] = []
        seen: set[str] = set()
        limit_ts = at.timestamp()
        with self._lock:
            heap = self._due
            while heap and heap[0][0] <= limit_ts and len(found) < limit:
                item = heapq.heappop(heap)
                current = self._dossiers.get(item[1])
                if current is None or current.next_check_at is None or item[1] in seen:
                    continue
                if current.next_check_at.timestamp() != item[0]:
                    continue  # stale: the dossier's next check moved since this item was pushed
                found.append(item[1])
                seen.add(item[1])
                keep.append(item)
            for item in keep:
                heapq.heappush(heap, item)
        return found

    # --- queries: a scan of the dicts (a MemoryStore holds what one process can keep in memory) ---

    def find_number(self, number: str) -> Dossier | None:
        return next((d for d in self._dossiers.values() if d.number == number), None)

    def find_reference(self, reference: str) -> Dossier | None:
        return next((d for d in self._dossiers.values() if d.reference == reference), None)

    def worklist(self, scope: WorkScope, *, after: Cursor | None = None, limit: int = 50) -> Page:
        with self._lock:
            found = [d for d in self._dossiers.values() if in_scope(scope, d)]
        return _page(found, "due", after, limit)

    def dossiers(
        self, where: Filter, *, order: Order = "due", after: Cursor | None = None, limit: int = 50
    ) -> Page:
        with self._lock:
            found = [
                d for d in self._dossiers.values()
                if matches(where, d) and (order == "due" or d.received_at is not None)
            ]  # fmt: skip
        return _page(found, order, after, limit)

    def count(self, where: Filter) -> int:
        with self._lock:
            return sum(1 for d in self._dossiers.values() if matches(where, d))

    def count_by(self, group: Group, where: Filter) -> dict[str | None, int]:
        def value(d: Dossier) -> str | None:
            return agency_of(d) if group == "agency" else getattr(d, group)

        check_group(group)
        with self._lock:
            return dict(Counter(value(d) for d in self._dossiers.values() if matches(where, d)))

    def tally(self, period: Period, key: TallyKey | None = None) -> Tally:
        with self._lock:
            spans = [list(one) for one in self._spans.values()]
        return tally_spans(spans, period, key)

    # --- claims and incidents ---

    def claim_due(self, at: dt.datetime, worker: str, *, lease: dt.timedelta, limit: int = 500) -> list[str]:
        now = _now()
        with self._lock:
            held = {i for i, (_, until) in self._claims.items() if until > now}
        candidates = self.due(at, limit=limit + len(held))
        with self._lock:
            claimed = []
            for dossier_id in candidates:
                taken = self._claims.get(dossier_id)
                if taken is not None and taken[1] > now:
                    continue
                self._claims[dossier_id] = (worker, now + lease)
                claimed.append(dossier_id)
                if len(claimed) == limit:
                    break
            return claimed

    def release(self, worker: str, ids: Sequence[str]) -> None:
        with self._lock:
            for dossier_id in ids:
                if self._claims.get(dossier_id, (None,))[0] == worker:
                    del self._claims[dossier_id]
                self._incidents.pop(dossier_id, None)

    def record_failure(self, dossier_id: str, worker: str, reason: str) -> Incident:
        now = _now()
        with self._lock:
            old = self._incidents.get(dossier_id)
            failures = 1 if old is None else old.failures + 1
            incident = Incident(
                dossier_id, now if old is None else old.first_at, now, failures, reason, worker,
                now + backoff(failures),
            )  # fmt: skip
            self._incidents[dossier_id] = incident
            self._claims[dossier_id] = (worker, incident.retry_at)
            return incident

    def incidents(self, *, limit: int = 100) -> list[Incident]:
        with self._lock:
            found = sorted(self._incidents.values(), key=lambda i: (-i.failures, i.dossier_id))
        return found[:limit]

    def incident_count(self) -> int:
        return len(self._incidents)

    # --- the outbox (stores/outbox.py) ---

    def claim_events(self, worker: str, *, lease: dt.timedelta, limit: int = 100) -> list[ob.OutboxEvent]:
        if not self.outbox:
            raise ob.disabled("this MemoryStore")
        ob.check_claim(lease, limit)
        now = _now()
        with self._lock:
            held = {
                key[0] for key, (_, _, until) in self._outbox.items() if until is not None and until > now
            }
            claimed: list[ob.OutboxEvent] = []
            for key, (event, _, _) in self._outbox.items():
                if len(claimed) == limit:
                    break
                if key[0] not in held:
                    claimed.append(attrs.evolve(event, attempts=event.attempts + 1))
            for event in claimed:  # the dict's order is kept: values replaced, no key added
                self._outbox[(event.dossier_id, event.sequence)] = (event, worker, now + lease)
            return claimed

    def ack_events(self, worker: str, ids: Sequence[str]) -> int:
        if not self.outbox:
            raise ob.disabled("this MemoryStore")
        keys = dict.fromkeys(ob.split_id(i) for i in ids)
        with self._lock:
            mine = [k for k in keys if k in self._outbox and self._outbox[k][1] == worker]
            for key in mine:
                del self._outbox[key]
            return len(mine)

    def outbox_backlog(self) -> int:
        if not self.outbox:
            raise ob.disabled("this MemoryStore")
        return len(self._outbox)

    def close(self) -> None:
        """Nothing to release."""

    # --- test and tooling helpers (not part of the Store protocol) ---

    def _replace_entries(self, dossier_id: str, entries: list[AuditEntry]) -> None:
        """Overwrite a chain as-is: lets tests show that verification catches tampering."""
        with self._lock:
            self._entries[dossier_id] = list(entries)
