"""Hints that say where and how to fix a YAML syntax problem, computed only once a file has one.

The YAML parser reports where it *noticed* a problem, which for an indentation slip is often not the
line that is wrong (a key moved left is noticed on the next line, or read as a duplicate top-level
key). These functions look at the source lines around the reported position and name the likely line
and column — or say both possibilities when the text cannot tell which line moved. They serve the one
YAML reader (yaml_reader.py), so procedures and calendar overlays get the same help; nothing here
runs for a file without problems, so the clean path pays nothing.
"""

from __future__ import annotations

import re

_OPENER = re.compile(r"^\s*(?:-\s+)*([^\s#{\[\-][^#]*?):\s*(?:#.*)?$")  # `deadline:` opening a block
_GENERIC_SYNTAX = "check indentation, quotes and the ':' after each key"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _key_column(line: str) -> int:
    """1-based column of the key on a line, after any `- ` list markers (`  - name: x` → 5)."""
    match = re.match(r"^[ ]*(?:-[ ]+)*", line)
    return (match.end() if match else 0) + 1


def _is_content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _previous(lines: list[str], index: int) -> int | None:
    """Index of the nearest line above `index` holding YAML (not blank, not a comment)."""
    for i in range(min(index, len(lines)) - 1, -1, -1):
        if _is_content(lines[i]):
            return i
    return None


def _opener_name(line: str) -> str | None:
    match = _OPENER.match(line)
    return match.group(1).strip() if match else None


def _block_above(lines: list[str], index: int) -> tuple[str, int, int] | None:
    """The block a line may have been moved out of: (its key, its 1-based line, its keys' column).

    Only when the line follows a more deeply indented block, i.e. it is the first line after that
    block at a shallower column — the shape a key moved left leaves behind.
    """
    here = _indent(lines[index])
    above = _previous(lines, index)
    if above is None or _indent(lines[above]) <= here:
        return None
    inner = above
    i: int | None = above
    while i is not None and _indent(lines[i]) > here:
        inner = i if _indent(lines[i]) <= _indent(lines[inner]) else inner
        i = _previous(lines, i)
    if i is None:
        return None
    name = _opener_name(lines[i])
    if name is None:
        return None
    return name, i + 1, _key_column(lines[inner])


def _leading_tab(line: str) -> int | None:
    lead = line[: len(line) - len(line.lstrip(" \t"))]
    return lead.index("\t") + 1 if "\t" in lead else None


def _tab_hint(lines: list[str], index: int, message: str) -> str | None:
    """Point at a tab in the indentation of the reported line (or, for tab errors, the nearest one)."""
    fix = "with spaces (YAML forbids tabs for indentation)"
    if index < len(lines) and (column := _leading_tab(lines[index])) is not None:
        return f"replace the tab at column {column} {fix}"
    if "tab" not in message and "cannot start any token" not in message:
        return None
    order = [*range(min(index, len(lines) - 1), -1, -1), *range(index + 1, len(lines))]
    for i in order:
        if (column := _leading_tab(lines[i])) is not None:
            return f"replace the tab at line {i + 1}, column {column} {fix}"
    return None


def _deeper_hint(lines: list[str], index: int) -> str | None:
    """The reported line is indented more than the key above it (which has a value, not a block)."""
    above = _previous(lines, index)
    if above is None or _opener_name(lines[above]) is not None:
        return None
    column = _key_column(lines[above])
    if _indent(lines[index]) + 1 <= column:
        return None
    moved = _block_above(lines, above)
    if moved is not None and moved[2] == _indent(lines[index]) + 1:
        name, line, target = moved
        return (
            f"the line above may be indented wrongly: if line {above + 1} belongs to the block above it "
            f"(`{name}:` at line {line}), indent it to column {target}"
        )
    first = _first_key_hint(lines, index, above)
    if first is not None:
        return first
    return (
        f"this line is indented more than the key above it (line {above + 1}, column {column}): "
        f"start it at column {column}"
    )


def _first_key_hint(lines: list[str], index: int, above: int) -> str | None:
    """The first key of a block moved left (`deadline:`, `amount: 0` moved, `  unit: …` reported).

    The parser notices only at the next line, which is indented like the rest of the block; the line
    that moved is the one above it, directly under the block's opening key. When more lines of the
    block follow at the reported line's column, that line is certainly right; otherwise either moved.
    """
    opener = _previous(lines, above)
    if opener is None or (name := _opener_name(lines[opener])) is None:
        return None
    target = _indent(lines[index])
    if not _indent(lines[opener]) < target or not _indent(lines[above]) < target:
        return None
    hint = (
        f"the line above may be indented wrongly: if line {above + 1} belongs to the block above it "
        f"(`{name}:` at line {opener + 1}), indent it to column {target + 1}"
    )
    after = next((i for i in range(index + 1, len(lines)) if _is_content(lines[i])), None)
    if after is not None and _indent(lines[after]) == target:
        return hint
    return f"{hint}; otherwise start this line at column {_key_column(lines[above])}"


def _moved_opener_hint(lines: list[str], index: int) -> str | None:
    """A block's opening key moved left (`guard:` at column 1 inside a list item): the parser
    notices only after the block, at the reported line; the line that moved is the opener above."""
    above = _previous(lines, index)
    if above is None:
        return None
    opener: int | None = above
    while opener is not None and _indent(lines[opener]) >= _indent(lines[above]):
        opener = _previous(lines, opener)
    if opener is None or (name := _opener_name(lines[opener])) is None:
        return None
    here = lines[index]
    if here.lstrip(" ").startswith("-"):  # the next item of a list: the opener belonged to the item above
        item = next(
            (
                i
                for i in range(opener - 1, -1, -1)
                if _indent(lines[i]) == _indent(here) and _is_content(lines[i])
            ),
            None,
        )
        if item is None or not lines[item].lstrip(" ").startswith("-"):
            return None
        target, sibling = _key_column(lines[item]), item
        where = f"to the list item at line {item + 1}"
    else:
        target = _indent(here) + 1
        sibling = next((i for i in range(opener - 1, -1, -1) if _is_content(lines[i])), -1)
        if sibling < 0 or _key_column(lines[sibling]) < target:
            return None
        where = f"with the keys at column {target} (line {sibling + 1} and this line)"
    if _indent(lines[opener]) + 1 >= target:
        return None
    moved = f"the line that moved may be line {opener + 1} (`{name}:`)"
    return f"{moved}: if it belongs {where}, indent it to column {target}"


def _list_hint(lines: list[str], index: int, dash_column: int | None) -> str | None:
    """Inside a block list: a key indented less than its item's keys, or a `- ` out of line."""
    if dash_column is None or index >= len(lines):
        return None
    line = lines[index]
    if line.lstrip(" ").startswith("-"):
        return f"put this '- ' at column {dash_column}, like the other items of the list"
    for i in range(index - 1, -1, -1):
        if _indent(lines[i]) == dash_column - 1 and lines[i].lstrip(" ").startswith("-"):
            column = _key_column(lines[i])
            if dash_column <= _indent(line) + 1 < column:
                return (
                    f"this line is indented less than the keys of its list item (line {i + 1}); "
                    f"indent it to column {column}"
                )
            return None
    return None


def syntax_hint(
    text: str, position: tuple[int, int], message: str, context: tuple[int, int] | None = None
) -> str:
    """The hint for a YAML parser error (TT004, TC100) reported at `position` (1-based line, column)."""
    lines = text.splitlines()
    index = position[0] - 1
    if not 0 <= index < len(lines):
        return _GENERIC_SYNTAX
    hint = _tab_hint(lines, index, message)
    if hint is None and "expected '-' indicator" in message:
        hint = _list_hint(lines, index, context[1] if context else None)
    elif hint is None and "mapping values are not allowed" in message:
        line = lines[index]
        first = re.search(r":(?:\s|$)", line[_key_column(line) - 1 :])
        if first is not None and _key_column(line) + first.start() < position[1]:
            hint = "quote the text: a ': ' inside unquoted text reads as a new key"
        else:
            hint = _deeper_hint(lines, index)
    elif hint is None and "did not find expected key" in message:
        if lines[index].lstrip(" ").startswith("- "):
            above = next((i for i in range(index - 1, -1, -1) if lines[i].lstrip(" ").startswith("- ")), None)
            if above is not None and _indent(lines[above]) != _indent(lines[index]):
                hint = (
                    f"this '- ' is at column {_indent(lines[index]) + 1}, the one on line {above + 1} at "
                    f"column {_indent(lines[above]) + 1}: put the items of one list at the same column"
                )
        above = _previous(lines, index)
        hint = hint or _deeper_hint(lines, index) or _moved_opener_hint(lines, index)
        if hint is None and above is not None:
            hint = (
                f"the line above (line {above + 1}) may be indented wrongly, or this one: "
                "align each key with the other keys of its block"
            )
    return hint or _GENERIC_SYNTAX


def moved_key_hint(text: str, line: int) -> str | None:
    """For a key read at an unexpected level (a duplicate, an unknown top-level key): when the line
    directly follows a more deeply indented block, the key probably lost its indentation."""
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return None
    block = _block_above(lines, line - 1)
    if block is None:
        return None
    name, opener, column = block
    return (
        f"if this line belongs to the block above (`{name}:` at line {opener}), indent it to column {column}"
    )


def duplicate_key_hint(text: str, line: int) -> str:
    """TT005, TC105: a key that lost its indentation is not a duplicate, and deleting it would lose data."""
    remove = "remove one of them; YAML would silently keep the last"
    moved = moved_key_hint(text, line)
    return remove if moved is None else f"{moved}; otherwise {remove}"
