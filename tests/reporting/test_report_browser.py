"""The HTML report in a real browser: Debian's headless Chromium renders the page; every number of the
table (each `data-col` cell of each `data-key` row, the totals row too) is the JSON report's; the
console logs no error; the network is asked for nothing but the file itself; the charts are drawn
(inline SVGs with a size); printed, the table fits the width of A4 landscape paper.

Driven by Playwright's Python package with `executable_path` (no browser download) when it is
installed, else by the chromium command line (--dump-dom, --print-to-pdf), like
tests/reporting/test_form_browser.py. Without Chromium the test skips: `apt-get install chromium`
(Debian; .ci/run does it) or set TTHC_CHROMIUM=/path/to/chromium.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import report_helpers
from report_helpers import TableCells, expected_cells, parse_number

from tthc_engine.reporting.render import TOTAL_KEY, render_report
from tthc_engine.reporting.report import GroupBy, Report

HOW = (
    "Chromium not found: install Debian's package (apt-get install -y --no-install-recommends chromium; "
    ".ci/run does it) or set TTHC_CHROMIUM=/path/to/chromium, optionally pip install playwright"
)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--host-resolver-rules=MAP * ~NOTFOUND"]
# A4 landscape less the page's 8 mm side margins (the CSS @page rule), in CSS pixels (96 per inch)
PRINT_WIDTH = round((297 - 2 * 8) / 25.4 * 96)
A4_LANDSCAPE = re.compile(rb"/MediaBox \[0 0 84[12](?:\.\d+)? 59[45](?:\.\d+)?\]")
CHARTS = {"month": 3, "agency": 2, None: 1}

# {data-key: {data-col: text}} of the rendered table, read from the live DOM
CELLS_JS = """() => Object.fromEntries([...document.querySelectorAll('tr[data-key]')].map(tr => [
  tr.dataset.key,
  Object.fromEntries([...tr.querySelectorAll('[data-col]')].map(td => [td.dataset.col, td.textContent]))]))"""
SVG_JS = "() => [...document.querySelectorAll('svg')].map(s => [s.getBoundingClientRect().width, " \
    "s.getBoundingClientRect().height, s.querySelectorAll('rect').length])"  # fmt: skip


def _chromium() -> str | None:
    for candidate in (os.environ.get("TTHC_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def _numbers(cells: dict[str, dict[str, str]]) -> dict[str, dict[str, object]]:
    return {key: {col: parse_number(text) for col, text in row.items()} for key, row in cells.items()}


@pytest.fixture(params=["month", "agency", None], ids=["by-month", "by-agency", "totals-only"])
def page(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, Report]:
    group_by: GroupBy | None = request.param
    report = report_helpers.report(group_by)
    path = tmp_path / f"report-{group_by or 'totals'}.html"
    path.write_text(render_report(report, "html"), encoding="utf-8")
    return path, report


def test_report_in_a_real_browser(page: tuple[Path, Report], tmp_path: Path) -> None:
    chromium = _chromium()
    if chromium is None:
        pytest.skip(HOW)
    path, report = page
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _with_cli(chromium, path, report)
        return
    errors: list[str] = []
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        tab = browser.new_page(viewport={"width": 1280, "height": 900})
        tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        tab.on("pageerror", lambda e: errors.append(str(e)))
        tab.on("request", lambda r: requests.append(r.url))
        tab.goto(path.as_uri())
        cells = tab.evaluate(CELLS_JS)
        svgs = tab.evaluate(SVG_JS)
        title = tab.title()
        # the screenshot is the test artifact (TTHC_ARTIFACTS=DIR keeps it)
        shot = Path(os.environ.get("TTHC_ARTIFACTS", tmp_path)) / path.with_suffix(".png").name
        tab.screenshot(path=str(shot), full_page=True)
        tab.set_viewport_size({"width": PRINT_WIDTH, "height": 800})
        tab.emulate_media(media="print")
        printed_width = tab.evaluate("() => document.documentElement.scrollWidth")
        pdf = tab.pdf(prefer_css_page_size=True)
        browser.close()
    assert list(cells) == [r.key for r in report.rows] + [TOTAL_KEY]
    assert _numbers(cells) == expected_cells(report)
    assert title.startswith("Báo cáo giải quyết thủ tục hành chính")
    assert errors == []
    assert requests == [path.as_uri()]
    assert len(svgs) == CHARTS[report.group_by]
    assert all(w > 0 and h > 0 and rects > 0 for w, h, rects in svgs), svgs
    assert printed_width <= PRINT_WIDTH, "the printed table is wider than A4 landscape"
    assert A4_LANDSCAPE.search(pdf)


def _with_cli(chromium: str, path: Path, report: Report) -> None:
    """Without Playwright: the DOM Chromium built (so the page parsed and laid out), and its PDF."""
    dom = subprocess.run(
        [chromium, *FLAGS, "--enable-logging=stderr", "--v=0", "--dump-dom", path.as_uri()],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    parsed = TableCells.of(dom.stdout)
    assert _numbers(parsed.rows) == expected_cells(report)
    assert [t for t, _ in parsed.tags].count("svg") == CHARTS[report.group_by]
    html = path.read_text(encoding="utf-8")  # without Playwright's request log: nothing to fetch at all
    assert not any(
        ref in html for ref in ("src=", "href=", "url(", "@import", "<script", "http://", "https://")
    )
    assert "Uncaught" not in dom.stderr and "CONSOLE" not in dom.stderr.replace("CONSOLE(0)", "")
    pdf = path.with_suffix(".pdf")
    subprocess.run(
        [chromium, *FLAGS, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", path.as_uri()],
        capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    assert A4_LANDSCAPE.search(pdf.read_bytes())
