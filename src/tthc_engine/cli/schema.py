"""`tthc schema [procedure|calendar]`: print a shipped JSON Schema (for editors and other validators)."""

from __future__ import annotations

import argparse
import sys

from tthc_engine._resources import schema_path

SCHEMAS = {"procedure": "procedure.schema.json", "calendar": "calendar.schema.json"}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "schema",
        help="print a JSON Schema (procedure or calendar)",
        description="Print the JSON Schema (2020-12) of a tthc YAML format, e.g. for an editor's YAML "
        "language server or for check-jsonschema.",
    )
    parser.add_argument("name", nargs="?", choices=sorted(SCHEMAS), default="procedure")
    parser.add_argument("--path", action="store_true", help="print where the file is instead of its content")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        path = schema_path(SCHEMAS[args.name])
    except FileNotFoundError as exc:
        print(f"tthc schema: {exc}", file=sys.stderr)
        return 2
    if not path.is_file():
        print(f"tthc schema: the {args.name} schema is not shipped in this version ({path})", file=sys.stderr)
        return 2
    if args.path:
        print(path)
    else:
        sys.stdout.write(path.read_text(encoding="utf-8"))
    return 0
