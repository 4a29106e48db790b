"""Calendar overlays: the shipped files, layering, and errors that point at file and line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import tthc_engine as te

D = dt.date
ROOT = Path(__file__).resolve().parents[2]
QUANG_TRI = ROOT / "calendars" / "quang-tri.yaml"


@pytest.fixture(scope="module")
def qt() -> te.WorkCalendar:
    return te.WorkCalendar.vietnam([QUANG_TRI])


def test_shipped_overlays_load() -> None:
    """The national and example province overlays validate against the schema."""
    for path in (ROOT / "calendars" / "vietnam.yaml", QUANG_TRI):
        overlay = te.load_overlay(path)
        assert overlay.name and len(overlay.sha256) == 64


def test_province_layer(qt: te.WorkCalendar) -> None:
    """Suspensions, closures, seasonal hours and a reception-only Saturday desk apply."""
    assert qt.day_info(D(2025, 11, 12)).kind == "suspension" and not qt.is_working_day(D(2025, 11, 12))
    assert not qt.is_working_day(D(2025, 10, 27))
    assert qt.start_of_working_day(D(2025, 6, 2)).time() == dt.time(7, 0)
    assert qt.start_of_working_day(D(2025, 12, 1)).time() == dt.time(7, 30)
    sat = qt.day_info(D(2025, 6, 7))
    assert not sat.working and sat.reception_sessions == ("07:30-11:30",)
    assert len(qt.provenance.overlays) == 2 and qt.digest != te.WorkCalendar.vietnam().digest


def test_suspension_stops_the_clock(qt: te.WorkCalendar) -> None:
    """A deadline running into a suspension is pushed past it."""
    national = te.WorkCalendar.vietnam()
    start = D(2025, 11, 7)
    assert national.add_working_days(start, 1) == D(2025, 11, 10)
    assert qt.add_working_days(start, 1) == D(2025, 11, 24)


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "bad.yaml"
    p.write_text(text, encoding="utf-8")
    return p


BAD = [
    pytest.param("calendar_overlay: 1\nname: x\nlevel: city\n", "TC101", 3, id="bad-level"),
    pytest.param(
        "calendar_overlay: 1\nname: x\nlevel: agency\nnon_working_days:\n"
        "  - name: a\n    date: '2025-01-02'\n",
        "TC101",
        5,
        id="missing-notice",
    ),
    pytest.param(
        "calendar_overlay: 1\nname: x\nlevel: agency\nworking_days:\n"
        "  - name: a\n    notice: n\n    date: 2025-02-30\n",
        "TC102",
        7,
        id="impossible-date",
    ),
    pytest.param(
        "calendar_overlay: 1\nname: x\nlevel: agency\nsuspensions:\n"
        "  - {name: a, notice: n, from: 2025-03-10,"
        " to: 2025-03-01}\n",
        "TC103",
        5,
        id="range-backwards",
    ),
    pytest.param(
        "calendar_overlay: 1\nname: x\nlevel: agency\noffice_hours:\n  - name: a\n    notice: n\n"
        "    sessions: ['13:30-17:00', '07:30-11:30']\n",
        "TC104",
        7,
        id="sessions-out-of-order",
    ),
    pytest.param("calendar_overlay: 1\nname: x\nname: y\nlevel: agency\n", "TC105", 3, id="duplicate-key"),
    pytest.param("calendar_overlay: 1\nname: [x\n", "TC100", 3, id="yaml-syntax"),
    pytest.param(
        "calendar_overlay: 1\nname: x\nlevel: agency\nweekly_sessions:\n  - name: a\n    notice: n\n"
        "    weekdays: [mon]\n    sessions: ['07:30-11:30']\n",
        "TC107",
        7,
        id="weekly-session-on-monday",
    ),
]


@pytest.mark.parametrize(("text", "code", "line"), BAD)
def test_errors_point_at_file_and_line(tmp_path: Path, text: str, code: str, line: int) -> None:
    """Each invalid overlay raises CalendarError with a Problem at the right file and line."""
    path = write(tmp_path, text)
    with pytest.raises(te.CalendarError) as info:
        te.load_overlay(path)
    problems = info.value.problems
    assert any(p.code == code and p.line == line and p.path == str(path) for p in problems), problems
    assert str(path) in str(info.value)


# The overlay reader is the procedure reader (tthc_engine.diagnostics.yaml_reader) with TC codes:
# what YAML 1.1 would turn into something the author did not write stays text, and hostile or broken
# input is refused with a positioned Problem, never a Python exception from the parser.
HEAD = "calendar_overlay: 1\nname: x\nlevel: agency\n"
SWAP = "swaps:\n  - {name: s, notice: n, off: '2025-01-02', work: '2025-01-04'}\n"


def refused(path: Path, **options: int) -> tuple[te.Problem, ...]:
    with pytest.raises(te.CalendarError) as info:
        te.load_overlay(path, **options)
    assert str(path) in str(info.value)
    return info.value.problems


def test_off_stays_a_key_and_a_word(tmp_path: Path) -> None:
    """`off:` is the swap's key (not the boolean False) and `off` / `yes` as values stay text."""
    text = "calendar_overlay: 1\nname: off\nlevel: agency\nnotice: yes\n" + SWAP
    overlay = te.load_overlay(write(tmp_path, text))
    assert (overlay.name, type(overlay.name)) == ("off", str)
    assert [r.kind for r in overlay.days] == ["swap_off", "makeup"]
    assert overlay.days[0].start == D(2025, 1, 2)


def test_time_like_name_stays_text(tmp_path: Path) -> None:
    """`name: 15:00` is the text "15:00", not 900 (YAML 1.1 base-60 integers are not read)."""
    overlay = te.load_overlay(write(tmp_path, "calendar_overlay: 1\nname: 15:00\nlevel: agency\n"))
    assert (overlay.name, type(overlay.name)) == ("15:00", str)


def _block_nesting(depth: int) -> str:
    return HEAD + "x:\n" + "".join(" " * i + "a:\n" for i in range(1, depth)) + " " * depth + "a: 1\n"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        pytest.param(HEAD + "x: " + "[" * 65 + "]" * 65 + "\n", 4, id="flow-just-too-deep"),
        pytest.param(_block_nesting(1200), 68, id="block-past-the-recursion-limit"),
    ],
)
def test_deep_nesting_is_a_positioned_problem(tmp_path: Path, text: str, line: int) -> None:
    """A deeply nested overlay is refused with TC113 where it crosses 64 levels, never RecursionError."""
    path = write(tmp_path, text)
    (problem,) = refused(path)
    assert (problem.code, problem.path, problem.line) == ("TC113", str(path), line)
    assert problem.column > 1 and "64 levels" in problem.message


def test_flow_nesting_past_libyaml_limit_is_a_positioned_problem(tmp_path: Path) -> None:
    """5,000 `[` on one line: libyaml's scanner stops at 1,000 flow levels before our depth check sees
    them (TC100, its message names the nesting depth); the pure-Python parser leaves it to TC113."""
    path = write(tmp_path, HEAD + "x: " + "[" * 5000 + "]" * 5000 + "\n")
    (problem,) = refused(path)
    assert (problem.code, problem.path, problem.line) in {("TC100", str(path), 4), ("TC113", str(path), 4)}
    assert "nest" in problem.message and problem.column > 1


def test_oversized_overlay_is_refused(tmp_path: Path) -> None:
    """An overlay over 1 MiB is refused (TC108) before parsing; max_bytes= changes the limit."""
    big = write(tmp_path, HEAD + "# padding\n" * 120_000)
    (problem,) = refused(big)
    assert (problem.code, problem.path, problem.line, problem.column) == ("TC108", str(big), 0, 0)
    assert "1,048,576" in problem.message and problem.hint
    small = write(tmp_path, HEAD)
    assert [p.code for p in refused(small, max_bytes=10)] == ["TC108"]
    assert te.load_overlay(small, max_bytes=len(HEAD)).name == "x"


BAD_READ = {
    "TC100": (HEAD + "x: [1\n", 5),
    "TC105": (HEAD + "name: y\n", 4),
    "TC109": (HEAD.encode() + b"notice: caf\xe9\n", 4),
    "TC110": (
        HEAD
        + 'l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
        + "".join(f"l{i}: &l{i} [" + ",".join([f"*l{i - 1}"] * 10) + "]\n" for i in range(1, 10)),
        9,  # l5: the first alias whose expansion passes 200,000 values
    ),
    "TC111": (HEAD + "notice: !!python/object:os.system x\n", 4),
    "TC112": (HEAD + "---\nname: y\n", 4),
    "TC113": (HEAD + "x: " + "[" * 100 + "]" * 100 + "\n", 4),
    "TC114": (HEAD + "confirmed_years:\n  - {year: .inf, notice: n}\n", 5),
}


@pytest.mark.parametrize(("code", "case"), BAD_READ.items(), ids=list(BAD_READ))
def test_reading_problems_have_their_codes(tmp_path: Path, code: str, case: tuple[str | bytes, int]) -> None:
    """Each way reading an overlay can fail has its own TC code and the line it happened on."""
    text, line = case
    path = tmp_path / "bad.yaml"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    problems = refused(path)
    assert any(p.code == code and p.line == line and p.path == str(path) for p in problems), problems


def test_empty_overlay_is_tc112(tmp_path: Path) -> None:
    """An empty file (or comments only) holds no overlay: TC112, not a schema error about null."""
    assert [p.code for p in refused(write(tmp_path, "# nothing yet\n"))] == ["TC112"]


def test_duplicate_key_is_reported_with_the_other_problems(tmp_path: Path) -> None:
    """A duplicate key no longer hides the schema problems of the same file: all come at once."""
    problems = refused(write(tmp_path, "calendar_overlay: 1\nname: x\nname: y\nlevel: city\n"))
    assert sorted((p.code, p.line) for p in problems) == [("TC101", 4), ("TC105", 3)]


def test_problem_paths_are_data_and_render_once(tmp_path: Path) -> None:
    """A Problem keeps its path as a tuple and shows it as the JSON path string the CLI prints."""
    text = HEAD + "working_days:\n  - name: a\n    notice: n\n    date: '2025-02-30'\n"
    (problem,) = refused(write(tmp_path, text))
    assert (problem.code, problem.where, problem.json_path) == (
        "TC102",
        ("working_days", 0, "date"),
        "$.working_days[0].date",
    )
    assert "where" not in problem.as_dict()


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    """A UTF-8 byte order mark (saved by some Windows editors) is not an error."""
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + HEAD.encode())
    assert te.load_overlay(path).name == "x"


def test_unreadable_overlay_is_tc106(tmp_path: Path) -> None:
    """A missing overlay is one TC106 problem about the whole file, not an OSError."""
    missing = tmp_path / "missing.yaml"
    (problem,) = refused(missing)
    assert (problem.code, problem.path, problem.line) == ("TC106", str(missing), 0)


def test_every_tc_code_has_a_case() -> None:
    """Each registered calendar overlay code is exercised by a test of this file."""
    from tthc_engine.diagnostics import CODES

    covered = {p.values[1] for p in BAD} | set(BAD_READ) | {"TC106", "TC108", "TC112", "TC113"}
    assert covered == {code for code in CODES if code.startswith("TC")}
