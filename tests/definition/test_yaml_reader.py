"""The strict YAML reader: scalars stay what the author wrote, and hostile input fails fast and clearly.

One reader serves procedures (TT codes, the default kind) and calendar overlays (TC codes); the last
test checks that the two kinds differ in their codes only.
"""

from __future__ import annotations

import time
import tracemalloc

import pytest

from tthc_engine.diagnostics import OVERLAY_FILE, PROCEDURE_FILE, json_path, read_yaml


def data_of(text: str) -> object:
    doc = read_yaml(text.encode("utf-8"), "t.yaml")
    assert doc.problems == ()
    return doc.data


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yes", "yes"),
        ("no", "no"),
        ("on", "on"),
        ("Off", "Off"),
        ("y", "y"),
        ("true", True),
        ("False", False),
        ("2025-07-01", "2025-07-01"),
        ("2025-07-01 10:00:00", "2025-07-01 10:00:00"),
        ("15:00", "15:00"),
        ("1:30:00", "1:30:00"),
        ("~", None),
        ("null", None),
        ("42", 42),
        ("0x1f", 31),
        ("1_000", 1000),
        ("0.5", 0.5),
        ("2025.07", 2025.07),
        ('"2025.07"', "2025.07"),
        ("!!str 12", "12"),
        ("=", "="),
        ("Hộ tịch", "Hộ tịch"),
    ],
    ids=lambda v: repr(v),
)
def test_scalar_resolution(text: str, expected: object) -> None:
    """YAML 1.1 booleans, timestamps and base-60 numbers stay strings; true/false stay booleans."""
    value = data_of(f"k: {text}\n")
    assert value == {"k": expected}
    assert type(value["k"]) is type(expected)  # type: ignore[index]


REFUSED = [
    ("a: 1\na: 2\n", "TT005"),
    ("a: {b: 1, b: 2}\n", "TT005"),
    ("a: !!python/object:os.system x\n", "TT007"),
    ("a: !!timestamp 2025-01-01\n", "TT007"),
    ("<<: {a: 1}\n", "TT007"),
    ("? [a]\n: 1\n", "TT007"),
    ("a: 1\n---\nb: 2\n", "TT008"),
    ("", "TT008"),
    ("# only a comment\n", "TT008"),
    ("a: [1\n", "TT004"),
    ("a: *nowhere\n", "TT004"),
    ("a: .nan\n", "TT010"),
    ("a: -.inf\n", "TT010"),
    ("a: " + "[" * 80 + "]" * 80 + "\n", "TT009"),
    ("a: \x07\n", "TT004"),
]
REFUSED_IDS = [
    "duplicate-top",
    "duplicate-nested",
    "python-tag",
    "timestamp-tag",
    "merge-key",
    "complex-key",
    "two-documents",
    "empty",
    "comment-only",
    "unclosed-flow",
    "unknown-alias",
    "nan",
    "minus-inf",
    "too-deep",
    "control-char",
]


@pytest.mark.parametrize(("text", "code"), REFUSED, ids=REFUSED_IDS)
def test_refused_input(text: str, code: str) -> None:
    """Each kind of refused input yields its own code."""
    doc = read_yaml(text.encode("utf-8"), "t.yaml")
    assert code in {p.code for p in doc.problems}


TT_TO_TC = dict(zip(PROCEDURE_FILE.codes(), OVERLAY_FILE.codes(), strict=True))


@pytest.mark.parametrize("text", [text for text, _ in REFUSED], ids=REFUSED_IDS)
def test_overlay_kind_differs_only_in_codes(text: str) -> None:
    """An overlay is refused exactly like a procedure: same problems and positions, its TC codes."""
    as_procedure = read_yaml(text.encode("utf-8"), "t.yaml")
    as_overlay = read_yaml(text.encode("utf-8"), "t.yaml", kind=OVERLAY_FILE)
    assert as_overlay.data == as_procedure.data
    assert [(p.line, p.column, p.json_path, p.message) for p in as_overlay.problems] == [
        (p.line, p.column, p.json_path, p.message) for p in as_procedure.problems
    ]
    assert [p.code for p in as_overlay.problems] == [TT_TO_TC[p.code] for p in as_procedure.problems]


def test_duplicate_key_positions() -> None:
    """A duplicate key points at the second occurrence and names the first one's line."""
    doc = read_yaml(b"name: a\nfield: b\nname: c\n", "t.yaml")
    (problem,) = doc.problems
    assert (problem.line, problem.column, problem.json_path) == (3, 1, "$.name")
    assert "line 1" in problem.message
    assert doc.data == {"name": "a", "field": "b"}  # the first one is kept


def test_positions_of_nested_values() -> None:
    """Every value keeps its 1-based line and column under its JSON path."""
    doc = read_yaml("states:\n  - id: received\n    label: {vi: Đã nhận}\n".encode(), "t.yaml")
    where = {json_path(k): v for k, v in doc.source_map.values.items()}
    assert where["$.states[0].id"] == (2, 9)
    assert where["$.states[0].label.vi"] == (3, 17)
    assert doc.source_map.keys[("states", 0, "label")] == (3, 5)


def test_aliases_expand_to_copies() -> None:
    """A normal alias is expanded into an independent copy."""
    doc = read_yaml(b"a: &r [x, y]\nb: *r\n", "t.yaml")
    assert doc.data == {"a": ["x", "y"], "b": ["x", "y"]}
    assert doc.data["a"] is not doc.data["b"]


def billion_laughs(levels: int = 9) -> bytes:
    lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels + 1):
        lines.append(f"l{i}: &l{i} [" + ",".join([f"*l{i - 1}"] * 10) + "]")
    return ("\n".join(lines) + "\n").encode()


def test_alias_bomb_is_refused_fast_in_bounded_memory() -> None:
    """A billion-laughs document (10^10 values) is refused in well under a second and a few MiB."""
    tracemalloc.start()
    started = time.perf_counter()
    doc = read_yaml(billion_laughs(), "bomb.yaml")
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert [p.code for p in doc.problems] == ["TT006"]
    assert doc.data is None
    assert elapsed < 1.0
    assert peak < 50 * 1024 * 1024


def test_size_limit_is_configurable() -> None:
    """A file over max_bytes is refused before parsing; a larger limit accepts it."""
    raw = b"a: " + b"x" * 500 + b"\n"
    assert [p.code for p in read_yaml(raw, "t.yaml", max_bytes=100).problems] == ["TT002"]
    assert read_yaml(raw, "t.yaml", max_bytes=1000).problems == ()


def test_non_utf8_is_positioned() -> None:
    """A Latin-1 byte is reported as TT003 at its line and column."""
    doc = read_yaml(b"a: ok\nb: caf\xe9\n", "t.yaml")
    (problem,) = doc.problems
    assert (problem.code, problem.line, problem.column) == ("TT003", 2, 7)


def test_utf8_bom_is_accepted() -> None:
    """A UTF-8 byte order mark (common from Windows editors) is not an error."""
    assert read_yaml("\ufeffa: Hộ tịch\n".encode(), "t.yaml").data == {"a": "Hộ tịch"}
