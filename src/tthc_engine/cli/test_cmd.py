"""`tthc test PATH...`: run scenario files against a catalog (docs/scenarios.md).

Output as `tthc validate`'s (text, json, github): each unmet expectation is `path:line:col: TSxxx
message` at the expectation that failed. Exit 0 every story went as written, 1 a story failed or a
file has problems, 2 usage (no such path, no scenario file, no catalog folder); a catalog that does
not load is a bad input (exit 2, with its problems).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tthc_engine.cli.validate import github_line, text_line


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "test",
        help="run scenario files (stories with simulated time) against a catalog",
        description="Run scenario files (format tthc/scenario/v1; folders: every *.scenario.yaml under "
        "them) against the procedures of --catalog. Prints path:line:col: CODE message for each "
        "expectation that failed; codes TSxxx are explained in docs/diagnostics.md.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="scenario files or folders")
    parser.add_argument(
        "--catalog",
        metavar="DIR",
        default="procedures",
        help="the folder of procedure files the scenarios run against (default: procedures)",
    )
    parser.add_argument(
        "--format", choices=("text", "json", "github"), default="text", help="output format (default: text)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="list every story with its result")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tthc_engine.definition.catalog import Catalog
    from tthc_engine.errors import ProcedureError
    from tthc_engine.scenarios import run_paths

    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        print(
            f"tthc test: không có tệp hoặc thư mục / no such file or folder: {', '.join(missing)}",
            file=sys.stderr,
        )
        return 2
    if not Path(args.catalog).is_dir():
        print(
            f"tthc test: --catalog {args.catalog!r} không phải thư mục / is not a folder; give the "
            "folder holding your procedures",
            file=sys.stderr,
        )
        return 2
    try:
        catalog = Catalog.load(args.catalog)
    except ProcedureError as exc:
        for problem in exc.problems:
            print(text_line(problem), file=sys.stderr)
        print(f"tthc test: danh mục không hợp lệ / the catalog does not load: {exc}", file=sys.stderr)
        return 2
    report = run_paths(args.paths, catalog)
    if not report.files:
        print(
            f"tthc test: không có tệp *.scenario.yaml / no *.scenario.yaml under {', '.join(args.paths)}",
            file=sys.stderr,
        )
        return 2
    failed = [r for r in report.results if not r.ok]
    if args.format == "json":
        payload = {
            "files": list(report.files),
            "scenarios": [
                {"path": r.path, "name": r.name, "ok": r.ok, "problems": [p.as_dict() for p in r.problems]}
                for r in report.results
            ],
            "passed": len(report.results) - len(failed),
            "failed": len(failed),
            "ok": report.ok,
            "problems": [p.as_dict() for p in report.problems],
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0 if report.ok else 1
    lines = []
    if args.verbose:
        lines += [f"{'ok  ' if r.ok else 'FAIL'} {r.path} :: {r.name}" for r in report.results]
    render = github_line if args.format == "github" else text_line
    lines += [render(p) for p in report.problems]
    summary = (
        f"ran {len(report.results)} scenario(s) from {len(report.files)} file(s): "
        f"{len(report.results) - len(failed)} passed, {len(failed)} failed"
    )
    if report.file_problems:
        summary += f", {len(report.file_problems)} problem(s) in files that did not run"
    print("\n".join([*lines, summary]))
    return 0 if report.ok else 1
