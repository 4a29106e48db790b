"""The typed columns SQLiteStore keeps beside a record body, computed in one place for the writes
and for migration 4's backfill (so an upgraded row and a newly written one cannot differ)."""

from __future__ import annotations

import datetime as dt

from tthc_engine.records import Dossier
from tthc_engine.stores.base import utc_key
from tthc_engine.stores.queries import agency_of, due_key

QUERY_COLUMNS = ("received_at", "due_key", "finished_at", "outcome", "channel", "agency", "assignee")


def moment_key(moment: dt.datetime | None) -> str | None:
    return None if moment is None else utc_key(moment)


def query_columns(d: Dossier) -> tuple[str | None, ...]:
    """The values of QUERY_COLUMNS for `d`, in that order."""
    return (
        moment_key(d.received_at), utc_key(due_key(d)), moment_key(d.finished_at), d.outcome, d.channel,
        agency_of(d), d.assignee,
    )  # fmt: skip
