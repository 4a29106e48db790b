"""Many procedures and their versions: lookup by (code, version) and by the day a dossier is received.

A dossier is pinned to the version in force when it was received (transitional provisions speak of
dossiers received before a date; rules are versioned data), so a catalog refuses two versions of
one code whose effective dates overlap (TT402): on any day at most one version of a code is in force.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from pathlib import Path

import attrs

from tthc_engine.calendar.overlay import overlay_problems
from tthc_engine.definition.lint import lint_procedure
from tthc_engine.definition.loader import CALENDAR_OVERLAY, FileResult, check_file
from tthc_engine.definition.model import Procedure
from tthc_engine.diagnostics import DEFAULT_MAX_BYTES, Collector, JsonPath, SourceMap
from tthc_engine.errors import Problem, ProcedureError, UnknownProcedure

Locate = Callable[[Procedure, JsonPath], tuple[int, int]]
YAML_SUFFIXES = (".yaml", ".yml")


def _nowhere(_proc: Procedure, _where: JsonPath) -> tuple[int, int]:
    return (0, 0)


def catalog_problems(procedures: Sequence[Procedure], locate: Locate = _nowhere) -> list[Problem]:
    """Problems between procedures: duplicate (code, version) TT401, overlapping dates TT402."""
    problems: list[Problem] = []

    def add(proc: Procedure, code: str, where: JsonPath, message: str, hint: str) -> None:
        # one list for all files, in the order found; each problem is positioned in its own file
        collector = Collector(proc.source or "<catalog>", problems=problems)
        collector.report(where, code, message, hint, at=locate(proc, where))

    by_key: dict[tuple[str, str], Procedure] = {}
    by_code: dict[str, list[Procedure]] = defaultdict(list)
    for proc in procedures:
        first = by_key.get(proc.key)
        if first is not None:
            add(
                proc,
                "TT401",
                ("version",),
                f"procedure {proc.code} version {proc.version!r} is also defined in "
                f"{first.source or 'another definition'}",
                "give this version a new `version`, or delete one",
            )
            continue
        by_key[proc.key] = proc
        by_code[proc.code].append(proc)
    for versions in by_code.values():
        versions.sort(key=lambda p: (p.effective_from, p.version))
        for earlier, later in itertools.pairwise(versions):
            if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
                until = "open-ended" if earlier.effective_to is None else f"to {earlier.effective_to}"
                day_before = later.effective_from - dt.timedelta(days=1)
                add(
                    later,
                    "TT402",
                    ("effective_from",),
                    f"procedure {later.code} version {later.version!r} "
                    f"(from {later.effective_from}) overlaps version {earlier.version!r} (from "
                    f"{earlier.effective_from}, {until})",
                    f'set effective_to: "{day_before}" on version {earlier.version!r}',
                )
    return problems


@attrs.frozen
class ValidationReport:
    """What `validate_paths` found: the files checked, every problem, and the procedures built.

    `files` are every file checked — procedures and calendar overlays (`overlays`, recognised by
    their `calendar_overlay:` key and checked with the TC codes); `skipped` those of another tthc
    format (scenario tests), not checked here."""

    files: tuple[str, ...]
    problems: tuple[Problem, ...]
    procedures: tuple[Procedure, ...]
    skipped: tuple[str, ...] = ()  # files of another tthc format (scenario tests)
    overlays: tuple[str, ...] = ()  # the calendar overlays among `files`

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")

    def ok(self, *, strict: bool = False) -> bool:
        return not (self.problems if strict else self.errors)


def discover(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[str], list[Problem]]:
    """The YAML files named or found (recursively, skipping hidden folders) under `paths`."""
    files: list[str] = []
    problems: list[Problem] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                relative = found.relative_to(path).parts
                if (
                    found.suffix in YAML_SUFFIXES
                    and found.is_file()
                    and not any(part.startswith(".") for part in relative)
                ):
                    files.append(os.fspath(found))
        elif path.exists():
            files.append(os.fspath(given))
        else:
            missing = Collector(os.fspath(given), problems=problems)
            missing.report((), "TT001", "no such file or folder", "check the path")
    return files, problems


def validate_paths(
    paths: Iterable[str | os.PathLike[str]],
    *,
    predicates: Collection[str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ValidationReport:
    """Check files and folders as a catalog; returns every problem, never raises for bad input."""
    files, problems = discover(paths)
    checked: list[str] = []
    skipped: list[str] = []
    overlays: list[str] = []
    results: list[FileResult] = []
    for name in dict.fromkeys(files):  # a file named twice is checked once
        result = check_file(name, max_bytes=max_bytes, predicates=predicates)
        if result.other_format == CALENDAR_OVERLAY:  # checked by the calendar's reader and schema
            checked.append(name)
            overlays.append(name)
            problems.extend(overlay_problems(name, max_bytes=max_bytes))
            continue
        if result.other_format is not None:  # a scenario test next to the procedures
            skipped.append(name)
            continue
        checked.append(name)
        results.append(result)
        problems.extend(result.problems)
    procedures = [r.procedure for r in results if r.procedure is not None]
    maps: dict[int, SourceMap] = {id(r.procedure): r.source_map for r in results if r.procedure is not None}

    def locate(proc: Procedure, where: JsonPath) -> tuple[int, int]:
        smap = maps.get(id(proc))
        return smap.position(where) if smap is not None else (0, 0)

    problems.extend(catalog_problems(procedures, locate))
    return ValidationReport(
        tuple(checked), tuple(problems), tuple(procedures), tuple(skipped), tuple(overlays)
    )


class Catalog:
    """The procedures an engine can run, by code and version. Immutable once built."""

    def __init__(self, procedures: Iterable[Procedure], *, predicates: Collection[str] | None = None) -> None:
        """Check each procedure and the catalog as a whole; raise ProcedureError on any error."""
        procs = tuple(procedures)
        problems = [p for proc in procs for p in lint_procedure(proc, predicates=predicates)]
        problems += catalog_problems(procs)
        self._init(procs, problems)

    def _init(self, procs: tuple[Procedure, ...], problems: Sequence[Problem]) -> None:
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise ProcedureError("invalid procedure catalog", problems)
        self.warnings: tuple[Problem, ...] = tuple(problems)
        self._by_key = {p.key: p for p in procs}
        by_code: dict[str, list[Procedure]] = defaultdict(list)
        for proc in procs:
            by_code[proc.code].append(proc)
        self._by_code = {
            code: tuple(sorted(v, key=lambda p: (p.effective_from, p.version)))
            for code, v in sorted(by_code.items())
        }

    @classmethod
    def load(
        cls,
        path_or_dir: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
        *,
        predicates: Collection[str] | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> Catalog:
        """Load every procedure file under the path(s); all problems of all files in one ProcedureError."""
        paths = [path_or_dir] if isinstance(path_or_dir, str | os.PathLike) else list(path_or_dir)
        report = validate_paths(paths, predicates=predicates, max_bytes=max_bytes)
        if report.errors:
            raise ProcedureError(
                f"invalid procedure catalog ({len(report.files)} file(s) checked)", report.problems
            )
        catalog = cls.__new__(cls)
        catalog._init(report.procedures, report.problems)
        return catalog

    def get(self, code: str, version: str) -> Procedure:
        try:
            return self._by_key[(code, version)]
        except KeyError:
            known = ", ".join(repr(v) for v in self.versions(code)) or "none"
            raise UnknownProcedure(
                f"procedure {code} version {version!r} is not in the catalog (versions of {code}: {known})"
            ) from None

    def in_force(self, code: str, day: dt.date) -> Procedure:
        """The version of `code` in force on `day` (the day a dossier is received)."""
        versions = self._by_code.get(code)
        if not versions:
            raise UnknownProcedure(
                f"procedure {code!r} is not in the catalog ({len(self._by_code)} codes known)"
            )
        for proc in reversed(versions):
            if proc.in_force(day):
                return proc
        spans = "; ".join(f"{p.version}: {p.effective_from} to {p.effective_to or 'open'}" for p in versions)
        raise UnknownProcedure(f"no version of procedure {code} is in force on {day} ({spans})")

    def versions(self, code: str) -> tuple[str, ...]:
        """The version strings of `code`, oldest effective date first."""
        return tuple(p.version for p in self._by_code.get(code, ()))

    def procedures(self, code: str) -> tuple[Procedure, ...]:
        """The Procedure objects of `code`, oldest effective date first."""
        return self._by_code.get(code, ())

    def codes(self) -> tuple[str, ...]:
        return tuple(self._by_code)

    def __iter__(self) -> Iterator[Procedure]:
        for versions in self._by_code.values():
            yield from versions

    def __len__(self) -> int:
        return len(self._by_key)

    def __contains__(self, item: object) -> bool:
        """`"1.001193" in catalog`, `("1.001193", "2025.07") in catalog`, or a Procedure."""
        if isinstance(item, str):
            return item in self._by_code
        if isinstance(item, Procedure):
            return self._by_key.get(item.key) is item or self._by_key.get(item.key) == item
        if isinstance(item, tuple):
            return item in self._by_key
        return False

    def __repr__(self) -> str:
        return f"<Catalog {len(self)} procedure version(s), {len(self._by_code)} code(s)>"
