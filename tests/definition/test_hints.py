"""Hints for the slips a procedure author makes: each says which line, which column, and how to fix it.

The cases come from a usability test: one valid block-style procedure (fixtures/block_style.yaml) with
one line changed the way an author changed it. The expected hint is compared exactly, so a vaguer or
wrong hint (e.g. "remove one of them" for a key that only lost its indentation) fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tthc_engine.definition import hints
from tthc_engine.definition.loader import check_file
from tthc_engine.diagnostics import yaml_hints

BLOCK_STYLE = Path(__file__).resolve().parent / "fixtures" / "block_style.yaml"
SOURCE = BLOCK_STYLE.read_text(encoding="utf-8")


def problems_after(tmp_path: Path, old: str, new: str) -> list[tuple[str, int, int, str, str | None]]:
    """Diagnostics of the fixture with the one line `old` replaced by `new`."""
    assert SOURCE.count(old) == 1
    target = tmp_path / "p.yaml"
    target.write_text(SOURCE.replace(old, new), encoding="utf-8")
    return [(p.code, p.line, p.column, p.message, p.hint) for p in check_file(target).problems]


def test_fixture_is_valid() -> None:
    """The unchanged fixture has no problems, so each case's diagnostic comes from its one change."""
    assert check_file(BLOCK_STYLE).problems == ()


CASES = [
    pytest.param(
        "\n  legal_basis: {document: Luật",
        "\nlegal_basis: {document: Luật",
        ("TT005", 34, 1),
        "if this line belongs to the block above (`deadline:` at line 30), indent it to column 3; "
        "otherwise remove one of them; YAML would silently keep the last",
        id="A-key-moved-left-is-not-a-duplicate",
    ),
    pytest.param(
        '\n  cutoff: "15:00"',
        '\ncutoff: "15:00"',
        ("TT004", 34, 3),
        "the line above may be indented wrongly: if line 33 belongs to the block above it "
        "(`deadline:` at line 30), indent it to column 3",
        id="B-key-moved-left-noticed-on-next-line",
    ),
    pytest.param(
        "\n  amount: 0",
        "\namount: 0",
        ("TT004", 32, 7),
        "the line above may be indented wrongly: if line 31 belongs to the block above it "
        "(`deadline:` at line 30), indent it to column 3",
        id="B2-first-key-of-a-block-moved-left",
    ),
    pytest.param(
        "\n  amount: 0",
        "\n amount: 0",
        ("TT004", 32, 7),
        "the line above may be indented wrongly: if line 31 belongs to the block above it "
        "(`deadline:` at line 30), indent it to column 3",
        id="B3-first-key-of-a-block-moved-left-by-one",
    ),
    pytest.param(
        "    required: true",
        "required: true",
        ("TT102", 16, 1),
        "if this line belongs to the block above (`documents:` at line 13), indent it to column 5; "
        "otherwise remove it (keys starting with 'x-' are allowed for extension data)",
        id="B4-key-moved-left-reads-as-an-unknown-top-level-key",
    ),
    pytest.param(
        "\n    roles: [reception]",
        "\n  roles: [reception]",
        ("TT004", 28, 3),
        "this line is indented less than the keys of its list item (line 25); indent it to column 5",
        id="C-key-too-shallow-in-list-item",
    ),
    pytest.param(
        "\n    to: returned",
        "\n      to: returned",
        ("TT004", 27, 9),
        "this line is indented more than the key above it (line 26, column 5): start it at column 5",
        id="D-key-too-deep",
    ),
    pytest.param(
        "\n    to: returned",
        "\n\tto: returned",
        ("TT004", 27, 1),
        "replace the tab at column 1 with spaces (YAML forbids tabs for indentation)",
        id="E-tab-indent",
    ),
    pytest.param(
        "\n  unit: same_day",
        "\n \tunit: same_day",
        ("TT004", 32, 2),
        "replace the tab at column 2 with spaces (YAML forbids tabs for indentation)",
        id="E-tab-after-space",
    ),
    pytest.param(
        "note_required: true",
        "note_required: yes",
        ("TT103", 29, 20),
        "write true or false — yes/no/on/off stay text in tthc YAML",
        id="F-note-required-yes",
    ),
    pytest.param(
        "    required: true",
        "    required: no",
        ("TT103", 16, 15),
        "write true or false — yes/no/on/off stay text in tthc YAML",
        id="F-required-no",
    ),
    pytest.param(
        'effective_from: "2025-07-01"',
        "effective_from: 2025-7-1",
        ("TT105", 9, 17),
        'write "2025-07-01" (YYYY-MM-DD with zero padding, in quotes)',
        id="G-date-without-zero-padding",
    ),
    pytest.param(
        'effective_from: "2025-07-01"',
        'effective_from: "01/07/2025"',
        ("TT105", 9, 17),
        'write "2025-07-01" (YYYY-MM-DD with zero padding, in quotes; read as day/month/year)',
        id="G-date-day-month-year-quoted",
    ),
    pytest.param(
        "    roles: [reception]",
        "    roles: reception",
        ("TT103", 28, 12),
        "write [reception]",
        id="H-one-role-not-a-list",
    ),
    pytest.param(
        "online_service: full",
        "online_service: yes",
        ("TT104", 10, 17),
        "yes/no are not values here: use full, partial or none",
        id="I-online-service-yes",
    ),
    pytest.param(
        'cutoff: "15:00"',
        "cutoff: 9h",
        ("TT105", 33, 11),
        'write "09:00" (HH:MM, 24-hour, in quotes)',
        id="cutoff-written-9h",
    ),
]


@pytest.mark.parametrize(("old", "new", "where", "hint"), CASES)
def test_hint_names_the_line_and_the_fix(
    tmp_path: Path, old: str, new: str, where: tuple[str, int, int], hint: str
) -> None:
    """The one diagnostic of the changed file is positioned as before and carries the precise hint."""
    problems = problems_after(tmp_path, old, new)
    assert [(code, line, column, h) for code, line, column, _, h in problems] == [(*where, hint)]


def test_date_message_does_not_claim_the_value_was_unquoted(tmp_path: Path) -> None:
    """A quoted but malformed date is not told it should be "a quoted date"."""
    [(_, _, _, message, _)] = problems_after(
        tmp_path, 'effective_from: "2025-07-01"', 'effective_from: "2025-7-1"'
    )
    assert message == "$.effective_from is '2025-7-1'; expected a date written YYYY-MM-DD"


def test_real_duplicate_keeps_the_plain_hint(tmp_path: Path) -> None:
    """A duplicate that follows a sibling on the same column is a real duplicate: no indentation advice."""
    [(code, line, _, _, hint)] = problems_after(
        tmp_path, "level: commune\n", "level: commune\nfield: Hộ tịch\n"
    )
    assert (code, line, hint) == ("TT005", 7, "remove one of them; YAML would silently keep the last")


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("a:\n  label: Bước 1: nộp\n", "quote the text: a ': ' inside unquoted text reads as a new key"),
        ("r:\n  - {id: a}\n   - {id: b}\n", "put this '- ' at column 3, like the other items of the list"),
        (
            "r:\n  - {id: a}\n - {id: b}\n",
            "this '- ' is at column 2, the one on line 2 at column 3: "
            "put the items of one list at the same column",
        ),
        (
            "d:\n  a: 1\nc: 2\n  e: 3\n",
            "the line above may be indented wrongly: "
            "if line 3 belongs to the block above it (`d:` at line 1), indent it to column 3",
        ),
        (
            "d:\na: 1\n  c: 2\n",
            "the line above may be indented wrongly: if line 2 belongs to the block above it "
            "(`d:` at line 1), indent it to column 3; otherwise start this line at column 1",
        ),
        (
            "a:\n  - x: 1\nc:\n      d: 3\n  - y: 4\n",
            "the line that moved may be line 3 (`c:`): if it belongs to the list item at line 2, "
            "indent it to column 5",
        ),
        (
            "a:\n  b:\n    x: 1\nc:\n      d: 3\n    e: 4\n",
            "the line that moved may be line 4 (`c:`): if it belongs with the keys at column 5 "
            "(line 3 and this line), indent it to column 5",
        ),
        (
            "a:\n  b: 1\n c: 2\n",
            "the line above (line 2) may be indented wrongly, or this one: "
            "align each key with the other keys of its block",
        ),
        (
            "a:\n  b:\n    c: 1\n\td: 2\n",
            "replace the tab at column 1 with spaces (YAML forbids tabs for indentation)",
        ),
    ],
    ids=[
        "colon-in-text",
        "dash-too-deep",
        "dash-too-shallow",
        "unquoted-value-moved-left",
        "first-key-moved-left-or-next-moved-right",
        "opener-moved-out-of-list-item",
        "opener-moved-out-of-mapping",
        "between",
        "tab",
    ],
)
def test_syntax_hints_on_small_documents(tmp_path: Path, text: str, hint: str) -> None:
    """Other indentation slips get a hint about the line that is wrong, not the generic advice."""
    target = tmp_path / "t.yaml"
    target.write_text(text, encoding="utf-8")
    [problem] = check_file(target).problems
    assert (problem.code, problem.hint) == ("TT004", hint)


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("2025-7-1", 'write "2025-07-01" (YYYY-MM-DD with zero padding, in quotes)'),
        ("2025/07/01", 'write "2025-07-01" (YYYY-MM-DD with zero padding, in quotes)'),
        (
            "30/06/2026",
            'write "2026-06-30" (YYYY-MM-DD with zero padding, in quotes; read as day/month/year)',
        ),
        ("1.7.2025", 'write "2025-07-01" (YYYY-MM-DD with zero padding, in quotes; read as day/month/year)'),
        (
            "31/02/2025",
            'write the date as "YYYY-MM-DD" (YYYY-MM-DD with zero padding, in quotes), e.g. "2025-07-01"',
        ),
        (
            "ngày 1 tháng 7",
            'write the date as "YYYY-MM-DD" (YYYY-MM-DD with zero padding, in quotes), e.g. "2025-07-01"',
        ),
    ],
    ids=["ymd-short", "ymd-slashes", "dmy", "dmy-dots", "no-such-day", "words"],
)
def test_date_hint(value: str, hint: str) -> None:
    """A date is rewritten only when the day is certain; an impossible day gets no invented date."""
    assert hints.date_hint(value) == hint


@pytest.mark.parametrize(
    ("raw", "hint"),
    [
        ("specialist", "write [specialist]"),
        ("Giấy khai sinh", "write [Giấy khai sinh]"),
        ("a: b", 'write ["a: b"]'),
    ],
    ids=["word", "vietnamese-text", "needs-quotes"],
)
def test_list_hint_quotes_only_when_needed(raw: str, hint: str) -> None:
    """The suggested list reads back as a list of that one text."""
    assert hints.list_hint(raw) == hint


def test_enum_hint_only_for_yes_no() -> None:
    """yes/no/true/false get the list of words; other misspellings are left to 'did you mean'."""
    options: list[object] = ["full", "partial", "none"]
    assert hints.enum_hint("true", options) == "true/false are not values here: use full, partial or none"
    assert hints.enum_hint("Off", options) == "yes/no are not values here: use full, partial or none"
    assert hints.enum_hint("ful", options) is None


@given(st.text(alphabet=" \t-:#ab\n[]{}'\"", max_size=80), st.integers(-2, 12), st.integers(-2, 12))
def test_syntax_hint_never_fails(text: str, line: int, column: int) -> None:
    """Hints run on broken input: whatever the text and position, they return some advice."""
    assert yaml_hints.syntax_hint(text, (line, column), "did not find expected key", (1, column))
    assert yaml_hints.syntax_hint(text, (line, column), "mapping values are not allowed in this context")
    assert yaml_hints.syntax_hint(text, (line, column), "did not find expected '-' indicator", (1, column))
    assert yaml_hints.duplicate_key_hint(text, line)
