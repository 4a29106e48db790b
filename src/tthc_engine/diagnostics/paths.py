"""Where a diagnostic points: JSON paths kept as tuples, their one rendering, and the source map.

A path stays data — a tuple of mapping keys and list indexes — from the check that finds a problem
to the Problem it becomes. `json_path` is the only function that turns it into text, so `$.actions[8]`
reads the same in a procedure, a catalog and a calendar overlay diagnostic, and no check formats
paths of its own. The source map is what the YAML reader records and what the collector reads to
give every problem a line and a column.
"""

from __future__ import annotations

import attrs

JsonPath = tuple[str | int, ...]
Position = tuple[int, int]  # 1-based line, column; (0, 0) is "the file as a whole"


def json_path(path: JsonPath) -> str:
    """`("states", 2, "id")` → `$.states[2].id` (keys that are not identifiers are quoted)."""
    out = ["$"]
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif part.isidentifier():
            out.append(f".{part}")
        else:
            out.append("[" + repr(part) + "]")
    return "".join(out)


@attrs.define
class SourceMap:
    """Where each value (and each mapping key) of a document was written."""

    values: dict[JsonPath, Position] = attrs.field(factory=dict)
    keys: dict[JsonPath, Position] = attrs.field(factory=dict)
    raw: dict[JsonPath, str] = attrs.field(factory=dict)  # the source text of non-string scalars

    def position(self, path: JsonPath, *, key: bool = False) -> Position:
        """The position of `path`, or of its nearest ancestor that was written down."""
        table = self.keys if key else self.values
        if path in table:
            return table[path]
        while path:
            path = path[:-1]
            if path in self.values:
                return self.values[path]
        return (1, 1)
