"""The operator's side of the Engine: re-planning and anchors (docs/deadlines.md, docs/audit.md).

A base class of `Engine`, like `Desk`, kept apart so that engine.py stays the façade of acts. Both
read through the store's queries page by page; re-planning writes only through the act plan
(`Planner.replan`: one plan, one commit, one `replan` audit entry per dossier).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from tthc_engine.calendar import WorkCalendar
from tthc_engine.errors import ConcurrencyError, RuntimeErrorBase
from tthc_engine.runtime.actor import SYSTEM, Actor
from tthc_engine.runtime.anchor import Anchor, all_dossiers
from tthc_engine.runtime.anchor import check as check_anchor
from tthc_engine.runtime.anchor import take as take_anchor
from tthc_engine.runtime.events import Event, EventBus
from tthc_engine.runtime.plan import CatalogLike, Planner
from tthc_engine.runtime.replan import (
    ReplanItem,
    ReplanReport,
    calendar_reasons,
    compare,
    in_flight,
    replan_update,
    replay,
    replay_error,
)
from tthc_engine.runtime.request import Request
from tthc_engine.stores.base import Commit, Store
from tthc_engine.stores.queries import Filter
from tthc_engine.timeutil import moment


class Operations:
    """Re-planning and anchors over the engine's store, catalog, calendar and planner."""

    catalog: CatalogLike
    calendar: WorkCalendar
    store: Store
    planner: Planner
    events: EventBus

    def anchor(self, at: dt.datetime | str, *, key: bytes | None = None) -> Anchor:
        """Every dossier's chain length and head at `at`, with a digest (HMAC with `key`): keep it
        outside the database and `check_anchor` against it later (runtime/anchor.py)."""
        return take_anchor(self.store, moment(at), key)

    def check_anchor(self, anchor: Anchor, *, key: bytes | None = None) -> list[str]:
        """What in the store contradicts `anchor` — a deleted dossier, a truncated, rolled-back or
        rewritten chain — one line each; empty when the store is consistent with it."""
        return check_anchor(anchor, self.store, key)

    def replan(
        self,
        dossier_ids: Iterable[str] | None = None,
        *,
        at: dt.datetime | str,
        actor: Actor = SYSTEM,
        dry_run: bool = True,
    ) -> ReplanReport:
        """Compare each in-flight dossier (of `dossier_ids`, or every open one in the store) with
        what today's calendar and catalog compute from its own history (runtime/replan.py); unless
        `dry_run`, move the ones that differ with one `replan` audit entry each (a concurrent act
        makes that dossier a conflict, reported as failed: run again)."""
        when = moment(at)
        if dossier_ids is None:
            dossier_ids = self._open_ids()
        reasons = calendar_reasons(self.calendar)
        changed: list[ReplanItem] = []
        failed: list[ReplanItem] = []
        examined = 0
        for dossier_id in dossier_ids:
            d = self.store.load(dossier_id)
            if not in_flight(d):
                continue
            examined += 1
            try:
                replayed = replay(self.catalog, self.planner, self.store.entries(dossier_id))
            except (RuntimeErrorBase, ValueError, KeyError) as exc:  # e.g. an act the version now refuses
                failed.append(replay_error(d, str(exc)))
                continue
            item = compare(d, replayed, reasons)
            if item is None:
                continue
            changed.append(item)
            if not dry_run:
                updates, changes = replan_update(d, replayed, item)
                note = "Tính lại hạn (re-planned): " + "; ".join(r.strip() for r in item.reasons[:3])
                request = Request("replan", actor, when, note, kind="replan")
                plan = self.planner.replan(d, updates, changes, request)
                try:
                    dossier, _ = self.store.commit(Commit(plan.dossier, (plan.entry,), d.version, previous=d))
                except ConcurrencyError as exc:
                    failed.append(replay_error(d, str(exc)))
                    continue
                self.events.emit([Event(plan.event, dossier, plan.entry)])
        return ReplanReport(when, examined, tuple(changed), tuple(failed), not dry_run)

    def _open_ids(self) -> list[str]:
        """The ids of every open dossier in the store, page by page (keyset, no full load)."""
        return [d.id for d in all_dossiers(self.store, Filter(open_only=True))]
