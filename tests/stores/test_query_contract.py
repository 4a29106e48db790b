"""The desk's queries, run against every store in STORE_FACTORIES: find by number and reference,
worklists (scope, assignment, due order, keyset pages), lists and counts by filter."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest
from store_helpers import T0, first_commit

from tthc_engine.errors import ConfigurationError
from tthc_engine.records import Dossier, Step
from tthc_engine.stores import Store
from tthc_engine.stores.queries import Cursor, Filter, WorkScope

DAY = dt.timedelta(days=1)


def put(store: Store, dossier_id: str, **fields: Any) -> Dossier:
    """Create one dossier with `fields` set on the helper's record (agency: of an open step)."""
    agency = fields.pop("agency", None)
    commit = first_commit(dossier_id, fields.pop("number", None), reference=fields.pop("reference", None))
    if agency is not None:
        fields["steps"] = (Step(fields.get("state", "received"), agency, T0, "officer-7"),)
    d = attrs.evolve(commit.dossier, **fields)
    made, _ = store.create(lambda seq: attrs.evolve(commit, dossier=d), sequence_key=dossier_id)
    return made


def ids(page: Any) -> list[str]:
    return [d.id for d in page.items]


def test_find_by_number_and_reference(store: Store) -> None:
    """The national number and the lodgement reference each find one dossier; an unknown one None."""
    put(store, "a", number="000.21.21.H47-250124-0001")
    put(store, "b", reference="L-250124-0007")
    found = store.find_number("000.21.21.H47-250124-0001")
    assert found is not None and found.id == "a"
    by_ref = store.find_reference("L-250124-0007")
    assert by_ref is not None and by_ref.id == "b"
    assert store.find_number("000.21.21.H47-250124-0002") is None
    assert store.find_reference("000.21.21.H47-250124-0001") is None


def test_worklist_scope_assignment_and_due_order(store: Store) -> None:
    """Open dossiers of the scope's (procedure, state) pairs, unassigned or assigned to the actor, in
    due order (none last, then id); final dossiers, other states and others' dossiers are out."""
    put(store, "late", state="processing", due_at=T0 + DAY)
    put(store, "early", state="processing", due_at=T0)
    put(store, "none", state="processing", due_at=None)
    put(store, "review", state="review", due_at=T0 + 2 * DAY)
    put(store, "mine", state="review", due_at=T0 + 3 * DAY, assignee="cv-1")
    put(store, "theirs", state="processing", due_at=T0, assignee="cv-2")
    put(store, "other_state", state="approved", due_at=T0)
    put(store, "other_proc", state="processing", due_at=T0, procedure_code="2.000001")
    put(store, "closed", state="processing", due_at=T0, outcome="resolved")
    scope = WorkScope((("1.000001", "processing"), ("1.000001", "review")), "cv-1")
    assert ids(store.worklist(scope)) == ["early", "late", "review", "mine", "none"]
    inbox = WorkScope(scope.pairs, "cv-1", assigned_only=True)
    assert ids(store.worklist(inbox)) == ["mine"]
    assert ids(store.worklist(WorkScope((), "cv-1"))) == []


def test_worklist_keyset_pages(store: Store) -> None:
    """Pages of 2 cover the worklist exactly once, ties on the due moment broken by id, the
    dossiers without a due moment last; the last page has no next cursor."""
    for i in range(7):
        put(store, f"d{i}", state="processing", due_at=None if i == 3 else T0 + (i % 3) * DAY)
    scope = WorkScope((("1.000001", "processing"),), "cv-1")
    seen: list[str] = []
    after: Cursor | None = None
    for _ in range(10):
        page = store.worklist(scope, after=after, limit=2)
        seen += ids(page)
        after = page.next
        if after is None:
            break
    assert seen == ["d0", "d6", "d1", "d4", "d2", "d5", "d3"]


def test_lists_and_counts_by_filter(store: Store) -> None:
    """Filters by state, procedure, agency, channel, assignee and receipt period; counts agree with
    the lists; count_by groups; received order lists only received dossiers."""
    put(store, "a", state="processing", channel="online", agency="UBND-X", received_at=T0)
    put(store, "b", state="processing", channel="direct", agency="UBND-Y", received_at=T0 + DAY)
    put(store, "c", state="review", channel="online", agency="UBND-X", received_at=T0 + 2 * DAY,
        assignee="cv-1")  # fmt: skip
    put(store, "d", state="received", channel="postal", received_at=None, due_at=None)
    put(store, "e", state="done", channel="online", received_at=T0, outcome="resolved",
        procedure_code="2.000001")  # fmt: skip
    assert store.count(Filter()) == 5
    assert store.count(Filter(states="processing")) == 2
    assert store.count(Filter(open_only=True)) == 4
    assert store.count(Filter(procedures=("2.000001",))) == 1
    assert ids(store.dossiers(Filter(agency="UBND-X"))) == ["a", "c"]
    assert ids(store.dossiers(Filter(channel="online", open_only=True))) == ["a", "c"]
    assert ids(store.dossiers(Filter(assignee="cv-1"))) == ["c"]
    period = Filter(received_from=T0 + DAY, received_before=T0 + 3 * DAY)
    assert ids(store.dossiers(period, order="received")) == ["b", "c"]
    assert store.count(period) == 2
    assert ids(store.dossiers(Filter(), order="received")) == ["a", "e", "b", "c"]
    assert store.count_by("state", Filter()) == {"processing": 2, "review": 1, "received": 1, "done": 1}
    assert store.count_by("agency", Filter(open_only=True)) == {"UBND-X": 2, "UBND-Y": 1, None: 1}
    assert store.count_by("channel", Filter(states=("processing", "review"))) == {"online": 2, "direct": 1}
    with pytest.raises(ConfigurationError, match="count_by"):
        store.count_by("body", Filter())  # type: ignore[arg-type]


def test_listing_pages_in_received_order(store: Store) -> None:
    """Keyset pages on (received_at, id) cover every received dossier once."""
    for i in range(5):
        put(store, f"r{i}", received_at=T0 + (i % 2) * DAY)
    first = store.dossiers(Filter(), order="received", limit=3)
    assert ids(first) == ["r0", "r2", "r4"] and first.next is not None
    second = store.dossiers(Filter(), order="received", after=first.next, limit=3)
    assert ids(second) == ["r1", "r3"] and second.next is None


def test_query_columns_follow_commits(store: Store) -> None:
    """A commit that hands the dossier over, closes it or assigns it moves it between lists."""
    d = put(store, "a", state="processing", due_at=T0)
    scope = WorkScope((("1.000001", "processing"),), "cv-1")
    assert ids(store.worklist(scope)) == ["a"]
    from store_helpers import next_commit

    d, _ = store.commit(next_commit(d, state="processing", assignee="cv-2"))
    assert ids(store.worklist(scope)) == []
    assert ids(store.dossiers(Filter(assignee="cv-2"))) == ["a"]
    d, _ = store.commit(next_commit(d, state="processing", assignee=None, outcome="refused"))
    assert ids(store.worklist(scope)) == []
    assert store.count(Filter(open_only=True)) == 0
