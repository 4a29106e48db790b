"""One diagnostics collector for every check of every input file (procedures, catalogs, overlays).

Checks say *what* is wrong and *where in the data* (a path tuple); the collector adds the rest the
same way for all of them: the line and column from the file's source map, the severity from the
code registry (never passed by the check, so a code has one severity everywhere), and the JSON
path string, rendered once by `paths.json_path`. An unregistered code raises KeyError at once: it
is a bug of the check, and a test reaches every code.
"""

from __future__ import annotations

from tthc_engine.diagnostics.codes import severity
from tthc_engine.diagnostics.paths import JsonPath, Position, SourceMap, json_path
from tthc_engine.errors import Problem

WHOLE_FILE: Position = (0, 0)


class Collector:
    """The problems found in one file, in the order they were reported.

    `source_map` positions problems by their path; without one (a file that could not be read or
    parsed) a problem is about the file as a whole (line 0) unless `at=` says where.
    `problems` may be a list shared with other collectors (a catalog reports on several files).
    """

    __slots__ = ("path", "problems", "source_map")

    def __init__(
        self, path: str, source_map: SourceMap | None = None, problems: list[Problem] | None = None
    ) -> None:
        self.path = path
        self.source_map = source_map
        self.problems: list[Problem] = [] if problems is None else problems

    def report(
        self,
        where: JsonPath,
        code: str,
        message: str,
        hint: str | None = None,
        *,
        key: bool = False,
        at: Position | None = None,
    ) -> None:
        """Record one problem about the value at `where` (its key with `key=True`).

        `at` gives the position directly when it does not come from the source map (the parser's
        own position for a YAML error, another file's map for a catalog problem).
        """
        level = severity(code)
        if at is None:
            at = self.source_map.position(where, key=key) if self.source_map is not None else WHOLE_FILE
        self.problems.append(
            Problem(self.path, at[0], at[1], code, message, level, json_path(where), hint, where=where)
        )
