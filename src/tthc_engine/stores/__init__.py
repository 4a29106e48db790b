"""WHERE IT LIVES: the Store protocol and its implementations."""

from tthc_engine.stores.base import Commit, Store
from tthc_engine.stores.memory import MemoryStore
from tthc_engine.stores.sqlite import SQLiteStore

__all__ = ["Commit", "MemoryStore", "SQLiteStore", "Store"]
