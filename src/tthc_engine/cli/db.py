"""`tthc db upgrade|status`: apply and show the schema migrations of a SQLite file or PostgreSQL schema.

Stores migrate on open by default; this command lets an operator do it as a separate deployment
step (with a role that may run DDL, before the application starts with `migrate=False`) and see
which versions a database carries. `status` only reads: it never creates a file or a schema.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

from tthc_engine.errors import StoreError
from tthc_engine.stores import migrations
from tthc_engine.stores.migrations import Applied


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "db",
        help="apply or show the store's schema migrations (SQLite or PostgreSQL)",
        description="Apply the missing schema migrations of a store's database (upgrade) or show the "
        "applied ones (status). PostgreSQL needs the extra: pip install 'tthc-engine[postgres]'.",
    )
    sub = p.add_subparsers(dest="db_command", metavar="SUBCOMMAND", required=True)
    for name, helptext in (
        ("upgrade", "apply the missing migrations (creates the file or schema if new)"),
        ("status", "show the applied migrations and the latest this tthc-engine knows (reads only)"),
    ):
        q = sub.add_parser(name, help=helptext, description=helptext)
        where = q.add_mutually_exclusive_group(required=True)
        where.add_argument("--dsn", metavar="URL", help="PostgreSQL, e.g. postgresql://user@host:5432/db")
        where.add_argument("--sqlite", metavar="PATH", help="a SQLite database file")
        q.add_argument("--schema", metavar="NAME", help="PostgreSQL schema (default: search_path's first)")
        q.add_argument("--format", choices=("text", "json"), default="text")
        q.set_defaults(func=run_upgrade if name == "upgrade" else run_status)


def _usage(args: argparse.Namespace) -> str | None:
    if args.sqlite is not None and args.schema is not None:
        return "--schema applies to PostgreSQL (--dsn) only"
    return None


def _pg() -> Any:
    """stores.pg_migrations, or ImportError naming the extra to install."""
    from tthc_engine.stores import pg_migrations

    return pg_migrations


def _latest(args: argparse.Namespace) -> int:
    return int(_pg().LATEST) if args.dsn is not None else migrations.LATEST


def _where(args: argparse.Namespace) -> str:
    if args.dsn is None:
        return str(args.sqlite)
    from tthc_engine.stores.pg_boundary import describe_dsn

    return describe_dsn(args.dsn, args.schema)


def _sqlite_applied(path: str) -> list[Applied]:
    """The applied migrations of an existing file, read-only (StoreError if absent or unreadable)."""
    file = Path(path)
    if not file.is_file():
        raise StoreError(f"{path}: no such SQLite file (`tthc db upgrade --sqlite {path}` creates it)")
    try:
        conn = sqlite3.connect(file.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            return migrations.applied(conn)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot read the SQLite database: {exc}") from exc


def _applied(args: argparse.Namespace) -> list[Applied]:
    if args.dsn is not None:
        return list(_pg().status(args.dsn, schema=args.schema))
    return _sqlite_applied(args.sqlite)


def _report(args: argparse.Namespace, rows: list[Applied], note: str) -> None:
    version, latest = max((m.version for m in rows), default=0), _latest(args)
    if args.format == "json":
        out = {
            "database": _where(args),
            "version": version,
            "latest": latest,
            "applied": [{"version": m.version, "description": m.description, "applied_at": m.applied_at}
                        for m in rows],
            "note": note,
        }  # fmt: skip
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return
    print(f"{_where(args)}: schema version {version} (this tthc-engine: {latest}) — {note}")
    for m in rows:
        print(f"  {m.version:>3}  {m.applied_at}  {m.description}")


def _guarded(args: argparse.Namespace, body: Any) -> int:
    problem = _usage(args)
    if problem is not None:
        print(f"tthc db: error: {problem}", file=sys.stderr)
        return 2
    try:
        return int(body())
    except ImportError as exc:  # the postgres extra is not installed
        print(f"tthc db: error: {exc}", file=sys.stderr)
        return 2


def run_upgrade(args: argparse.Namespace) -> int:
    def body() -> int:
        if args.dsn is not None:
            before, _version = _pg().upgrade(args.dsn, schema=args.schema)
        else:
            from tthc_engine.stores.sqlite import SQLiteStore

            before = _sqlite_applied(args.sqlite) if Path(args.sqlite).is_file() else []
            SQLiteStore(args.sqlite).close()  # migrates in one IMMEDIATE transaction
        after = _applied(args)
        new = [m.version for m in after if m.version not in {b.version for b in before}]
        note = f"applied {', '.join(map(str, new))}" if new else "already up to date, nothing to do"
        _report(args, after, note)
        return 0

    return _guarded(args, body)


def run_status(args: argparse.Namespace) -> int:
    def body() -> int:
        rows = _applied(args)
        version, latest = max((m.version for m in rows), default=0), _latest(args)
        migrations.check_known(_where(args), version, latest)  # a newer schema: StoreError, exit 2
        if version == 0:
            note = "no tthc-engine schema here yet; `tthc db upgrade` creates it"
        elif version < latest:
            note = f"pending: {', '.join(map(str, range(version + 1, latest + 1)))}; run `tthc db upgrade`"
        else:
            note = "up to date"
        _report(args, rows, note)
        return 0

    return _guarded(args, body)
