"""A strict YAML reader for calendar overlays that remembers where every node is.

Like the procedure loader (STYLE.md "Declarative input, safely"): safe loading only, YAML 1.1
booleans (on/off/yes/no) and timestamps stay strings (JSON Schema checks dates as strings), duplicate
keys are an error, and alias expansion is bounded. Kept local so the calendar does not depend on the
definition loader.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

Position = tuple[int, int]
PathKey = tuple[str | int, ...]
_MAX_NODES = 100_000


class _Loader(yaml.SafeLoader):
    pass


_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, rx)
        for tag, rx in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class YamlProblem(Exception):
    def __init__(self, message: str, line: int, column: int, code: str) -> None:
        super().__init__(message)
        self.message, self.line, self.column, self.code = message, line, column, code


def load(text: str) -> tuple[Any, dict[PathKey, Position]]:
    """Parse `text`; return the data and a map from JSON path (tuple) to 1-based (line, column)."""
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
            raise YamlProblem(f"YAML syntax: {exc.problem or exc}", line, col, "TC100") from None
        positions: dict[PathKey, Position] = {}
        budget = [_MAX_NODES]

        def conv(n: yaml.Node, path: PathKey) -> Any:
            budget[0] -= 1
            if budget[0] < 0:
                raise YamlProblem("document too large (alias expansion?)", 1, 1, "TC100")
            positions[path] = (n.start_mark.line + 1, n.start_mark.column + 1)
            if isinstance(n, yaml.MappingNode):
                out: dict[Any, Any] = {}
                for k, v in n.value:
                    key = loader.construct_object(k, deep=True)
                    if not isinstance(key, str):
                        key = str(key)
                    if key in out:
                        raise YamlProblem(
                            f"duplicate key {key!r}", k.start_mark.line + 1, k.start_mark.column + 1, "TC105"
                        )
                    out[key] = conv(v, (*path, key))
                return out
            if isinstance(n, yaml.SequenceNode):
                return [conv(v, (*path, i)) for i, v in enumerate(n.value)]
            return loader.construct_object(n, deep=True)

        return (conv(node, ()) if node is not None else None), positions
    finally:
        loader.dispose()


def position_of(positions: dict[PathKey, Position], path: PathKey) -> Position:
    """The position of `path`, or of its nearest existing parent."""
    p = tuple(path)
    while p and p not in positions:
        p = p[:-1]
    return positions.get(p, (1, 1))


def json_path(path: PathKey) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
