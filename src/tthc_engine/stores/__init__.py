"""WHERE IT LIVES: the Store protocol and its implementations.

`PostgresStore` is imported on first use (`tthc_engine.stores.PostgresStore` or
`from tthc_engine.stores.postgres import PostgresStore`), so that the package works without the
`postgres` extra (psycopg); a missing extra raises ImportError naming `pip install 'tthc-engine[postgres]'`.
"""

from typing import Any

from tthc_engine.stores.base import Commit, Store
from tthc_engine.stores.memory import MemoryStore
from tthc_engine.stores.outbox import OutboxEvent
from tthc_engine.stores.queries import Cursor, Filter, Incident, Page, WorkScope
from tthc_engine.stores.sqlite import SQLiteStore

__all__ = [
    "Commit",
    "Cursor",
    "Filter",
    "Incident",
    "MemoryStore",
    "OutboxEvent",
    "Page",
    "SQLiteStore",
    "Store",
    "WorkScope",
]


def __getattr__(name: str) -> Any:
    if name == "PostgresStore":
        from tthc_engine.stores.postgres import PostgresStore

        return PostgresStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
