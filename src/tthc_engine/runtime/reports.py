"""The reporting side of the Engine (a base class, like Desk and Operations): period reports and the
evaluation of dossiers (docs/reports.md). It only reads: the store's tallies and queries, the
catalog for what a procedure version is."""

from __future__ import annotations

import datetime as dt

from tthc_engine.calendar import WorkCalendar
from tthc_engine.definition.model import Procedure
from tthc_engine.reporting.evaluation import EvaluateBy, Evaluation, EvaluationRow, evaluate, summarise
from tthc_engine.reporting.report import GroupBy, Report, build_report, period_bound
from tthc_engine.runtime.plan import CatalogLike, Planner
from tthc_engine.stores.base import Store
from tthc_engine.stores.queries import Filter
from tthc_engine.stores.tally import Period

Bound = dt.date | dt.datetime | str


class Reports:
    """Engine.report, Engine.evaluate and Engine.evaluations over the engine's store and catalog."""

    catalog: CatalogLike
    calendar: WorkCalendar
    store: Store
    planner: Planner

    def report(
        self, start: Bound | None = None, end: Bound | None = None, group_by: GroupBy | None = None
    ) -> Report:
        """The report of the period [start, end) as known at `end` (docs/reports.md): `.totals` and
        `.rows` (one per agency, field, level, procedure, channel, online-service kind, month,
        quarter, half-year or year). A day means its midnight on the engine's calendar; `end`
        defaults to now (the engine's recording clock), `start` to 1 January of the year of `end`."""
        return build_report(self.store, self._procedure_or_none, self._period(start, end), group_by)

    def evaluate(self, dossier_id: str) -> Evaluation:
        """The scores of one dossier (Circular 01/2018/TT-VPCP Art. 13: indices 1, 2, 3, 4, 7 and the
        citizen's rating) from its record, its audit trail and the host's feedback."""
        return evaluate(self.store.load(dossier_id), self.store.entries(dossier_id))

    def evaluations(
        self, start: Bound | None = None, end: Bound | None = None, *, by: EvaluateBy = "agency"
    ) -> tuple[EvaluationRow, ...]:
        """The Art. 15(2) scores per agency or per officer of the dossiers whose legal time ended in
        [start, end), read page by page through the store's query."""
        period = self._period(start, end)
        where = Filter(finished_from=period.start, finished_before=period.end)

        def scored() -> list[Evaluation]:
            out, after = [], None
            while True:
                page = self.store.dossiers(where, after=after, limit=500)
                out += [evaluate(d, self.store.entries(d.id)) for d in page.items]
                if page.next is None:
                    return out
                after = page.next

        return summarise(scored(), by)

    def _period(self, start: Bound | None, end: Bound | None) -> Period:
        tz = self.calendar.tz
        until = self.planner.recorded_at() if end is None else period_bound(end, tz, "end")
        since = (
            dt.datetime(until.astimezone(tz).year, 1, 1, tzinfo=tz)
            if start is None
            else period_bound(start, tz, "start")
        )
        return Period(since, until)

    def _procedure_or_none(self, code: str, version: str) -> Procedure | None:
        try:
            return self.catalog.get(code, version)
        except KeyError:
            return None
