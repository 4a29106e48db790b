"""`tthc form`: print a one-stop form of a dossier, a desk's tracking book, or check a printed code.

  tthc form --db desk.db NUMBER_OR_ID 01 --format html -o slip.html
  tthc form --db desk.db book --agency 000.01.21.H47 --from 2025-08-01 --to 2025-08-31
  tthc form --db desk.db verify ZLNGG-GECJG

The forms are rendered from the record (docs/forms.md); nothing is written to the database. Dossiers
are found through the store's own queries (by national number, lodgement reference or id; the
tracking book by receiving agency), page by page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tthc_engine.definition.catalog import Catalog
from tthc_engine.errors import ConfigurationError, StoreError, UnknownDossier
from tthc_engine.reporting.forms import FORM_KINDS, FORMATS, find_form_code, tracking_book
from tthc_engine.reporting.forms.book import Record
from tthc_engine.runtime.engine import Engine
from tthc_engine.stores.queries import Filter
from tthc_engine.stores.sqlite import SQLiteStore


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "form",
        help="print a one-stop form (01-05, stop), the tracking book (book) or verify a printed code",
        description="Mẫu phiếu một cửa — render a form of a dossier from its record: "
        "`tthc form --db PATH NUMBER_OR_ID FORM` (FORM: " + ", ".join(k for k in FORM_KINDS if k != "06")
        + "), `tthc form --db PATH book --agency CODE --from DAY --to DAY` (form 06), "
        "`tthc form --db PATH verify CODE` (the verification code printed on a form).",
    )  # fmt: skip
    p.add_argument("words", nargs="+", metavar="NUMBER_OR_ID FORM | book | verify CODE")
    p.add_argument("--db", required=True, metavar="PATH", help="the SQLite store file")
    p.add_argument("--catalog", default="procedures", help="procedure folder (default: ./procedures)")
    p.add_argument("--format", choices=FORMATS, default="text")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    p.add_argument("--entry", type=int, metavar="N", help="the audit entry that issued the form")
    p.add_argument("--templates", metavar="DIR", help="a folder of template overrides (docs/forms.md)")
    p.add_argument("--key-env", metavar="NAME",
                   help="keyed verification codes: the secret is in environment variable NAME")  # fmt: skip
    p.add_argument("--agency", metavar="CODE", help="book: the receiving desk's agency code")
    p.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="book: first day")
    p.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="book: last day")
    p.set_defaults(func=run)


def _ids(store: SQLiteStore, where: Filter | None = None) -> list[str]:
    """The ids of the dossiers matching `where` (all when None), page by page through the store's
    own query (keyset pagination: never every record at once)."""
    ids: list[str] = []
    after = None
    while True:
        page = store.dossiers(where or Filter(), order="due", after=after, limit=500)
        ids += [d.id for d in page.items]
        if page.next is None:
            return ids
        after = page.next


def _find(store: SQLiteStore, target: str) -> str | None:
    """The id of the dossier `target` names: its national number, its lodgement reference or its id."""
    for found in (store.find_number(target), store.find_reference(target)):
        if found is not None:
            return found.id
    try:
        return store.load(target).id
    except UnknownDossier:
        return None


def _records(engine: Engine, ids: list[str]) -> Iterator[Record]:
    for dossier_id in ids:
        d = engine.get(dossier_id)
        yield d, engine.history(dossier_id), engine.procedure_of(d)


def _day(value: str | None, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        raise ConfigurationError(f"book: {option} YYYY-MM-DD is required (got {value!r})") from None


def _key(args: argparse.Namespace) -> bytes | None:
    """The host's secret for keyed codes, read from the environment (never from the command line,
    where other users of the machine could see it)."""
    if args.key_env is None:
        return None
    value = os.environ.get(args.key_env)
    if not value:
        raise ConfigurationError(f"--key-env {args.key_env}: the environment variable is not set or empty")
    return value.encode()


def _emit(args: argparse.Namespace, text: str) -> None:
    if args.output is None:
        sys.stdout.write(text)
    else:
        Path(args.output).write_text(text, encoding="utf-8", newline="\n")
        print(f"tthc form: wrote {args.output}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    db = Path(args.db)
    if not db.is_file():
        raise StoreError(f"{db}: no such SQLite store file (pass the --db the desk writes to)")
    folder = Path(args.catalog)
    if not folder.is_dir():
        raise ConfigurationError(f"catalog folder {str(folder)!r} not found; pass --catalog PATH")
    words = list(args.words)
    store = SQLiteStore(db)
    try:
        engine = Engine(Catalog.load(folder), store=store)
        if words[0] == "verify" and len(words) == 2:
            return _verify(engine, store, db, words[1], args)
        if words == ["book"]:
            if not args.agency:
                raise ConfigurationError("book: --agency CODE (the receiving desk) is required")
            ids = _ids(store, Filter(receiving_agency=args.agency))
            start, end = _day(args.start, "--from"), _day(args.end, "--to")
            book = tracking_book(_records(engine, ids), agency=args.agency, start=start, end=end,
                                 format=args.format, template_dir=args.templates)  # fmt: skip
            _emit(args, book)
            return 0
        if len(words) != 2:
            print("tthc form: error: expected NUMBER_OR_ID FORM, book, or verify CODE", file=sys.stderr)
            return 2
        target, form = words
        found = _find(store, target)
        if found is None:
            raise UnknownDossier(
                f"no dossier with id, national number or lodgement reference {target!r} in {db}"
            )
        text = engine.form(found, form, format=args.format, sequence=args.entry,
                           template_dir=args.templates, key=_key(args))  # fmt: skip
        _emit(args, text)
        return 0
    finally:
        store.close()


def _verify(engine: Engine, store: SQLiteStore, db: Path, code: str, args: argparse.Namespace) -> int:
    match = find_form_code(code, _records(engine, _ids(store)), key=_key(args))
    if args.format == "json":
        print(json.dumps({"code": code, "match": None if match is None else match.to_dict()},
                         ensure_ascii=False, indent=2))  # fmt: skip
    elif match is None:
        print(f"{code}: không khớp hồ sơ nào (no form of any dossier in {db} has this code)")
    else:
        status = (
            "khớp, nhật ký toàn vẹn (matches, chain intact)"
            if match.intact
            else (f"KHÔNG TOÀN VẸN (the chain does not verify: {match.problem})")
        )
        print(f"{code}: mẫu {match.form} của hồ sơ {match.number or match.dossier_id} "
              f"(id {match.dossier_id}), nhật ký #{match.sequence} lúc {match.at}: {status}")  # fmt: skip
        if not match.latest:
            print("  hồ sơ đã có bước xử lý sau mẫu này (later entries exist; form 05 reprinted now differs)")
    return 0 if match is not None and match.intact else 1
