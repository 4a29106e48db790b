"""`tthc show FILE_OR_CODE`: a procedure as an author reads it — what the published procedure states
(time, channels, agency, documents, fees, legal basis) and the machine the engine runs (states with
clock and budget, actions with roles and what they need). `--format json` for tools. Exit codes as
`tthc graph`: 0 shown, 1 the file has errors, 2 usage."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from tthc_engine.cli.procedures import add_arguments, resolve


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "show",
        help="print a procedure: time, channels, documents, fees, states and actions",
        description="Xem thủ tục — print what a procedure states and the machine the engine runs.",
    )
    add_arguments(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text", help="default: text")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tthc_engine.definition.summary import summary, summary_text

    proc = resolve(args, "show")
    if isinstance(proc, int):
        return proc
    if args.format == "json":
        sys.stdout.write(json.dumps(summary(proc), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(summary_text(proc))
    return 0
