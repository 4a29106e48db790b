"""PostgreSQL for the store tests: the DSN from TTHC_TEST_POSTGRES_DSN, a fresh schema per store.

Every schema of a run carries the run's own prefix (process id and random bytes), so concurrent runs
on one server never see each other's rows; conftest.py drops them when the session ends. Without the
variable, the psycopg extra or a reachable server, the tests that need PostgreSQL skip and say how
to run them.
"""

from __future__ import annotations

import itertools
import os
import secrets
from typing import Any

import pytest

ENV = "TTHC_TEST_POSTGRES_DSN"
HOW = (
    f"set {ENV}=postgresql://postgres@127.0.0.1:5432/test (any server you may create schemas on; "
    ".ci/run sets it) and install the extra: pip install -e '.[postgres]'"
)
RUN = f"tthc_test_{os.getpid()}_{secrets.token_hex(3)}"
_counter = itertools.count(1)
_made: list[str] = []
_checked: dict[str, str | None] = {}  # dsn -> None if reachable, else why not


def dsn_or_skip() -> str:
    """The test server's DSN, or skip the calling test saying how to provide one."""
    dsn = os.environ.get(ENV)
    if not dsn:
        pytest.skip(f"PostgreSQL tests need a server: {HOW}")
    if dsn not in _checked:
        try:
            import psycopg

            psycopg.connect(dsn, connect_timeout=3).close()
            _checked[dsn] = None
        except ImportError as exc:
            _checked[dsn] = f"psycopg is not installed ({exc})"
        except Exception as exc:  # any connection failure: say it and skip
            _checked[dsn] = f"cannot connect to {ENV}: {str(exc).strip().splitlines()[0]}"
    why = _checked[dsn]
    if why is not None:
        pytest.skip(f"PostgreSQL tests skipped, {why}; {HOW}")
    return dsn


def fresh_schema() -> str:
    """A new schema name of this run (the store creates it; the session drops it); skips the
    calling test when there is no server."""
    dsn_or_skip()
    name = f"{RUN}_{next(_counter)}"
    _made.append(name)
    return name


def pg_store(**options: Any) -> Any:
    """A PostgresStore on a fresh schema of the test server (skips without one)."""
    dsn = dsn_or_skip()
    from tthc_engine.stores.postgres import PostgresStore

    options.setdefault("pool_size", 2)
    return PostgresStore(dsn, schema=options.pop("schema", None) or fresh_schema(), **options)


def drop_schemas() -> None:
    """Drop every schema this run made (called once at the end of the session)."""
    dsn = os.environ.get(ENV)
    if not _made or not dsn or _checked.get(dsn, "unchecked") is not None:
        return  # nothing was made, or the server was never reachable
    import psycopg
    from psycopg import sql

    with psycopg.connect(dsn, autocommit=True) as conn:
        for name in _made:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))
    _made.clear()
