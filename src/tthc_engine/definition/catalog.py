"""Many procedures and their versions: lookup by (code, version) and by the day a dossier is received.

A dossier is pinned to the version in force when it was received (transitional provisions speak of
dossiers received before a date; rules are versioned data), so a catalog refuses two versions of
one code whose effective dates overlap (TT402): on any day at most one version of a code is in force.
"""

from __future__ import annotations

import datetime as dt
import errno
import itertools
import os
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

import attrs

from tthc_engine.calendar.overlay import overlay_problems
from tthc_engine.definition.lint import lint_procedure
from tthc_engine.definition.loader import CALENDAR_OVERLAY, FileResult, check_file
from tthc_engine.definition.model import Procedure
from tthc_engine.diagnostics import (
    DEFAULT_MAX_BYTES,
    PROCEDURE_FILE,
    Collector,
    JsonPath,
    SourceMap,
    read_bounded,
    read_yaml,
)
from tthc_engine.errors import Problem, ProcedureError, UnknownProcedure

YAML_SUFFIXES = (".yaml", ".yml")


class Versioned(Protocol):
    """What the catalog checks read of a procedure: a Procedure, or a `CatalogEntry` read quickly."""

    @property
    def code(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def effective_from(self) -> dt.date: ...
    @property
    def effective_to(self) -> dt.date | None: ...
    @property
    def source(self) -> str | None: ...
    @property
    def key(self) -> tuple[str, str]: ...


Locate = Callable[[Any, JsonPath], tuple[int, int]]


def _nowhere(_proc: Versioned, _where: JsonPath) -> tuple[int, int]:
    return (0, 0)


def catalog_problems(
    procedures: Sequence[Versioned], locate: Locate = _nowhere, *, concern: Collection[str] | None = None
) -> list[Problem]:
    """Problems between procedures: duplicate (code, version) TT401, overlapping dates TT402.

    With `concern` (source paths), only the problems between two procedures of which at least one
    comes from those files: what a commit that changes them introduces (`validate_paths(catalog=)`).
    """
    problems: list[Problem] = []

    def add(proc: Versioned, other: Versioned, code: str, where: JsonPath, message: str, hint: str) -> None:
        if concern is not None and proc.source not in concern and other.source not in concern:
            return
        # one list for all files, in the order found; each problem is positioned in its own file
        collector = Collector(proc.source or "<catalog>", problems=problems)
        collector.report(where, code, message, hint, at=locate(proc, where))

    by_key: dict[tuple[str, str], Versioned] = {}
    by_code: dict[str, list[Versioned]] = defaultdict(list)
    for proc in procedures:
        first = by_key.get(proc.key)
        if first is not None:
            add(
                proc,
                first,
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
                    earlier,
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
    context: tuple[str, ...] = ()  # with `catalog=`: the other catalog files compared with `files`

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
                if found.suffix not in YAML_SUFFIXES or any(part.startswith(".") for part in relative):
                    continue
                why = _not_a_file(found)
                if why is None:
                    files.append(os.fspath(found))
                elif why:  # a procedure the catalog would silently lack: CI must fail
                    Collector(os.fspath(found), problems=problems).report(
                        (), "TT001", why, "fix or remove the link, or put the procedure file itself here"
                    )
        elif path.exists():
            files.append(os.fspath(given))
        else:
            missing = Collector(os.fspath(given), problems=problems)
            missing.report((), "TT001", "no such file or folder", "check the path")
    return files, problems


def _not_a_file(found: Path) -> str | None:
    """Why a YAML name found in a catalog folder is not a procedure file to read ("" for a folder
    named *.yaml), or None when it is a regular file (directly or through a link)."""
    try:
        target = found.resolve(strict=True)
    except RuntimeError:
        return "a symbolic link loop: the link never reaches a file"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symbolic link loop: the link never reaches a file"
        return "a dangling symbolic link: its target does not exist"
    if target.is_dir():
        return ""
    if not target.is_file():
        return "not a regular file (a FIFO, a device or a socket): it cannot hold a procedure"
    return None


@attrs.frozen
class CatalogEntry:
    """What the catalog checks need of a procedure file they do not check themselves: its code,
    version and effective dates, with their positions (`read_entry`)."""

    code: str
    version: str
    effective_from: dt.date
    effective_to: dt.date | None
    source: str
    source_map: SourceMap = attrs.field(factory=SourceMap, eq=False, repr=False)

    @property
    def key(self) -> tuple[str, str]:
        return (self.code, self.version)


_IDENTITY_KEYS = ("code", "version", "effective_from", "effective_to")
# a top-level `key: value` line with a plain or quoted scalar: how procedure files write their identity
_TOP_LINE = re.compile(
    r"^(code|version|effective_from|effective_to|format|calendar_overlay|initial):[ \t]*"
    r"(?:\"(?P<dq>[^\"\\]*)\"|'(?P<sq>[^']*)'|(?P<plain>[^\s#\"'{\[][^#]*?))?[ \t]*(?:#.*)?$"
)


def _scan_identity(text: str) -> dict[str, tuple[str | None, int, int]] | None:
    """The identity keys from the file's top-level lines, without parsing YAML (fast), or None
    when the file is not written that way (flow style, a key twice): then the YAML reader reads it."""
    found: dict[str, tuple[str | None, int, int]] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line[:1].isalpha():
            continue
        match = _TOP_LINE.match(line)
        if match is None:
            continue
        key = match.group(1)
        if key in found:
            return None
        group = next((g for g in ("dq", "sq", "plain") if match.group(g) is not None), None)
        value = None if group is None else match.group(group)
        quoted = group in ("dq", "sq")
        # 1-based, at the opening quote as the YAML reader positions a quoted value
        column = 1 if group is None else match.start(group) + (0 if quoted else 1)
        found[key] = (value if quoted or value not in ("null", "~") else None, number, column)
    if not {"code", "version", "effective_from"} <= found.keys():
        return None
    return found


def read_entry(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> CatalogEntry | None:
    """A procedure file's identity for the catalog checks, read fast: None when the file is not a
    procedure (a calendar overlay, a scenario) or its identity cannot be read (its own check says why)."""
    try:
        raw = read_bounded(Path(path), max_bytes)
        text = raw.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    found = _scan_identity(text)
    smap = SourceMap()
    values: dict[str, Any] = {}
    if found is not None:
        for key, (value, line, column) in found.items():
            values[key] = value
            smap.values[(key,)] = (line, column)
    else:
        doc = read_yaml(raw, path, kind=PROCEDURE_FILE, max_bytes=max_bytes)
        if not isinstance(doc.data, dict):
            return None
        values, smap = doc.data, doc.source_map
    declared = values.get("format")
    if "calendar_overlay" in values or (
        isinstance(declared, str) and not declared.startswith("tthc/procedure/")
    ):
        return None
    code, version = values.get("code"), values.get("version")
    if not isinstance(code, str) or not isinstance(version, str):
        return None
    try:
        start = dt.date.fromisoformat(str(values.get("effective_from")))
        end_text = values.get("effective_to")
        end = None if end_text is None else dt.date.fromisoformat(str(end_text))
    except ValueError:
        return None
    return CatalogEntry(code, version, start, end, path, smap)


def validate_paths(
    paths: Iterable[str | os.PathLike[str]],
    *,
    predicates: Collection[str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    catalog: str | os.PathLike[str] | None = None,
) -> ValidationReport:
    """Check files and folders as a catalog; returns every problem, never raises for bad input.

    With `catalog` (a folder), `paths` are the files a change touches (a commit): they are checked
    in full, and the catalog checks (TT401, TT402) compare them with every other procedure under
    `catalog`, whose code, version and dates alone are read (fast, `read_entry`); only problems
    involving a file of `paths` are reported. This is what the pre-commit hook runs.
    """
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
    context: list[CatalogEntry] = []
    if catalog is not None:
        mine = {os.path.realpath(name) for name in files}
        others, _missing = discover([catalog])
        for name in others:
            if os.path.realpath(name) not in mine and (entry := read_entry(name, max_bytes=max_bytes)):
                context.append(entry)
                maps[id(entry)] = entry.source_map

    def locate(proc: Versioned, where: JsonPath) -> tuple[int, int]:
        smap = maps.get(id(proc))
        return smap.position(where) if smap is not None else (0, 0)

    # the rest of the catalog first, so a duplicate (TT401) is reported on the changed file
    concern = None if catalog is None else {p.source for p in procedures if p.source is not None}
    problems.extend(catalog_problems([*context, *procedures], locate, concern=concern))
    return ValidationReport(
        tuple(checked),
        tuple(problems),
        tuple(procedures),
        tuple(skipped),
        tuple(overlays),
        tuple(e.source for e in context),
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
