"""The desk's side of the Engine: the worklist, look-ups and assignment (docs/embedding.md, "The desk").

A base class of `Engine`, kept apart so that engine.py stays the façade of acts: these methods read
through the store's queries (stores/queries.py) and write only through the act plan
(`Planner.assignment`: one plan, one commit, one audit entry, like every change).
"""

from __future__ import annotations

import datetime as dt

from tthc_engine.calendar import WorkCalendar
from tthc_engine.records import Dossier
from tthc_engine.records.feedback import Feedback
from tthc_engine.runtime.actor import Actor
from tthc_engine.runtime.checks import check_expected_version
from tthc_engine.runtime.events import Event, EventBus
from tthc_engine.runtime.plan import CatalogLike, Plan, Planner
from tthc_engine.runtime.request import Request
from tthc_engine.runtime.worklist import WorkItem, Worklist, mark, scope_pairs
from tthc_engine.stores.base import Commit, Store
from tthc_engine.stores.queries import Cursor, WorkScope
from tthc_engine.timeutil import moment


class Desk:
    """Worklist, find and assignment over the engine's store, catalog, calendar and planner."""

    catalog: CatalogLike
    calendar: WorkCalendar
    store: Store
    planner: Planner
    events: EventBus
    _scopes: dict[frozenset[str], tuple[tuple[str, str], ...]]

    def worklist(
        self,
        actor: Actor,
        *,
        now: dt.datetime | str,
        after: Cursor | None = None,
        limit: int = 50,
        assigned_only: bool = False,
        near: int = 2,
    ) -> Worklist:
        """The open dossiers `actor` works on: in the states where the actor's roles have an action
        (from the catalog, every version), unassigned or assigned to the actor (`assigned_only`:
        the personal inbox), in due order; each marked overdue / due_today / near_due (within `near`
        working days) / paused against `now` on the engine's calendar (runtime/worklist.py)."""
        when = moment(now, "now")
        pairs = self._scopes.get(actor.roles)
        if pairs is None:
            pairs = self._scopes[actor.roles] = scope_pairs(self.catalog, actor.roles)
        page = self.store.worklist(WorkScope(pairs, actor.id, assigned_only), after=after, limit=limit)
        items = tuple(WorkItem(d, mark(d, when, self.calendar, near)) for d in page.items)
        return Worklist(items, page.next, when)

    def find(self, number_or_reference: str) -> Dossier | None:
        """The dossier with this national number, else with this lodgement reference, else None."""
        return self.store.find_number(number_or_reference) or self.store.find_reference(number_or_reference)

    def field_codes(self, field: str) -> tuple[str, ...]:
        """The procedure codes of a field (lĩnh vực) in the catalog: `Filter(procedures=...)`."""
        return tuple(sorted({p.code for p in self.catalog if p.field == field}))

    def assign_to(
        self,
        dossier_id: str,
        officer_id: str,
        *,
        actor: Actor,
        at: dt.datetime | str,
        note: str | None = None,
        expected_version: int | None = None,
    ) -> Dossier:
        """Hand the dossier to the officer `officer_id` (their inbox: `worklist(assigned_only=True)`;
        other officers no longer see it in theirs), with one audit entry of kind "assignment"."""
        return self._assign(dossier_id, officer_id, actor, at, note, expected_version)

    def unassign(
        self,
        dossier_id: str,
        *,
        actor: Actor,
        at: dt.datetime | str,
        note: str | None = None,
        expected_version: int | None = None,
    ) -> Dossier:
        """Hand the dossier back to the shared worklist of everyone whose roles act on it."""
        return self._assign(dossier_id, None, actor, at, note, expected_version)

    def record_feedback(
        self,
        dossier_id: str,
        feedback: Feedback,
        *,
        actor: Actor,
        at: dt.datetime | str,
        note: str | None = None,
        expected_version: int | None = None,
    ) -> Dossier:
        """Record facts the engine cannot know (te.Feedback: the citizen's rating, an upheld
        complaint, an electronic result, an online payment, …) with one audit entry of kind
        "feedback"; the evaluation (Engine.evaluate) and the reports read them (docs/reports.md)."""
        d = self.store.load(dossier_id)
        check_expected_version(d, expected_version, "record_feedback", actor.id)
        request = Request("record_feedback", actor, moment(at), note, None, "feedback")
        plan = self.planner.feedback(d, feedback, request)
        return self._commit_plan(d, plan)

    def _assign(
        self,
        dossier_id: str,
        officer: str | None,
        actor: Actor,
        at: dt.datetime | str,
        note: str | None,
        expected_version: int | None,
    ) -> Dossier:
        d = self.store.load(dossier_id)
        action = "assign_to" if officer is not None else "unassign"
        check_expected_version(d, expected_version, action, actor.id)
        request = Request(action, actor, moment(at), note, None, "assignment")
        plan = self.planner.assignment(d, officer, request)
        return self._commit_plan(d, plan)

    def _commit_plan(self, d: Dossier, plan: Plan) -> Dossier:
        """Commit a plan computed from record `d` (one transaction, version-checked) and emit its
        event: the one way the desk's changes reach the store."""
        dossier, _ = self.store.commit(Commit(plan.dossier, (plan.entry,), d.version, previous=d))
        if self.events.active:
            self.events.emit([Event(plan.event, dossier, plan.entry)])
        return dossier
