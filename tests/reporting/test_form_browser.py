"""Forms 01, 04 and 05 in a real browser: Debian's headless Chromium renders the page, shows the number
and the appointment, logs no console error, asks the network for nothing, and prints on one A5 page.

Driven by Playwright's Python package with `executable_path` (no browser download) when it is
installed, else by the chromium command line (--dump-dom, --print-to-pdf). Without Chromium the test
skips: `apt-get install chromium` (Debian; .ci/run does it) or set TTHC_CHROMIUM=/path/to/chromium.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from forms_helpers import APPLICANT, TZ

import tthc_engine as te

HOW = (
    "Chromium not found: install Debian's package (apt-get install -y --no-install-recommends chromium; "
    ".ci/run does it) or set TTHC_CHROMIUM=/path/to/chromium, optionally pip install playwright"
)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--host-resolver-rules=MAP * ~NOTFOUND"]


def _chromium() -> str | None:
    for candidate in (os.environ.get("TTHC_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def _pages(pdf: bytes) -> int:
    return pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") or pdf.count(b"/Type/Page") - pdf.count(
        b"/Type/Pages"
    )


@pytest.fixture(params=["01", "04", "05"])
def slip(request: pytest.FixtureRequest, tmp_path: Path, procedures_dir: Path) -> tuple[Path, str, str]:
    engine = te.Engine(te.Catalog.load(procedures_dir))
    at = dt.datetime(2025, 8, 4, 9, 0, tzinfo=TZ)
    desk = te.Actor("desk-1", {"reception"})
    d = engine.submit("1.001612", actor=desk, at=at, data={"applicant": APPLICANT})
    d = engine.act(d.id, "accept", actor=desk, at=at)
    d = engine.act(d.id, "assign", actor=desk, at=at + dt.timedelta(hours=1))
    d = engine.act(
        d.id, "reschedule", actor=te.Actor("chair-1", {"leader"}), at=at + dt.timedelta(days=1),
        note="Chờ xác minh", data={"new_appointment": (at + dt.timedelta(days=8)).isoformat()},
    )  # fmt: skip
    form = str(request.param)
    page = tmp_path / f"form-{form}.html"
    page.write_text(engine.form(d.id, form), encoding="utf-8")
    appointment = json.loads(engine.form(d.id, form, format="json"))["fields"]["appointment_at"]
    return page, str(d.number), appointment


def test_form_in_a_real_browser(slip: tuple[Path, str, str], tmp_path: Path) -> None:
    chromium = _chromium()
    if chromium is None:
        pytest.skip(HOW)
    page, number, appointment = slip
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _with_cli(chromium, page, number, appointment, tmp_path)
        return
    errors: list[str] = []
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        tab = browser.new_page()
        tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        tab.on("pageerror", lambda e: errors.append(str(e)))
        tab.on("request", lambda r: requests.append(r.url))
        tab.goto(page.as_uri())
        text = tab.inner_text("body")
        # the screenshot is the test artifact (TTHC_ARTIFACTS=DIR keeps it)
        shot = Path(os.environ.get("TTHC_ARTIFACTS", tmp_path)) / page.with_suffix(".png").name
        tab.screenshot(path=str(shot), full_page=True)
        pdf = tab.pdf(prefer_css_page_size=True)
        browser.close()
    assert number in text and appointment in text
    assert errors == []
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    assert _pages(pdf) == 1


def _with_cli(chromium: str, page: Path, number: str, appointment: str, tmp_path: Path) -> None:
    dom = subprocess.run(
        [chromium, *FLAGS, "--enable-logging=stderr", "--v=0", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    assert number in dom.stdout and appointment in dom.stdout
    html = page.read_text(encoding="utf-8")  # without Playwright's request log: nothing to fetch at all
    assert not any(ref in html for ref in ("src=", "href=", "url(", "@import", "<script"))
    assert "Uncaught" not in dom.stderr and "CONSOLE" not in dom.stderr.replace("CONSOLE(0)", "")
    pdf = page.with_suffix(".pdf")
    subprocess.run(
        [chromium, *FLAGS, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()],
        capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    assert _pages(pdf.read_bytes()) == 1
