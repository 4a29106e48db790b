"""A realistic report for the renderer's tests: 600 seeded dossier lives lodged over 2021 (every script,
channel, both shipped procedures, two agencies and none) driven through an in-memory engine.

The lives come from tests/stores/lives.py (the tally contract's own data), so the renderers are
tested on the same shapes of dossier the counting is: carried over, late, paused, refused … The
engine is driven once per test session (functools.cache); `driven_engine.__wrapped__()` drives a
fresh one. `expected_cells` and `TableCells` hold a rendered table against the report's JSON.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import sys
from html.parser import HTMLParser
from pathlib import Path

import tthc_engine as te
from tthc_engine.reporting.render import TOTAL_KEY
from tthc_engine.reporting.report import GroupBy, Report, columns

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "stores"))
import lives

SEED = 2021
N_LIVES = 600
START = dt.datetime(2021, 1, 4, tzinfo=lives.VN)  # the shipped procedures are in force from then
DAYS = 360


@functools.cache
def driven_engine(seed: int = SEED, n: int = N_LIVES) -> te.Engine:
    """An in-memory engine that received `n` seeded lives lodged over 2021 (the same every run)."""
    engine = lives.engine_on()
    lives.drive(engine, lives.random_lives(random.Random(seed), n, START, DAYS))
    return engine


def report(group_by: GroupBy | None = "month", start: str = "2021-01-01", end: str = "2021-10-01") -> Report:
    """The report of [start, end) from the driven engine: by default the first nine months by month,
    so some dossiers are still in progress at its end and the next ones are carried over."""
    return driven_engine().report(start, end, group_by)


def expected_cells(report: Report) -> dict[str, dict[str, object]]:
    """{row key (TOTAL_KEY for the totals): {column or measure name: its JSON value}} from to_dict."""
    doc = report.to_dict()
    out = {}
    rows: list[dict[str, object]] = doc["rows"]  # type: ignore[assignment]
    totals: dict[str, object] = doc["totals"]  # type: ignore[assignment]
    for key, figures in [*((str(r["key"]), r) for r in rows), (TOTAL_KEY, totals)]:
        days: dict[str, object] = figures["processing_days"]  # type: ignore[assignment]
        values = {c.name: figures[c.name] for c in columns()}
        progress: dict[str, object] = figures["progress"]  # type: ignore[assignment]
        values.update({n: figures[n] for n in ("on_time_rate", "online_share", "postal_share")})
        values["progress_rate"] = progress["rate"]
        values.update({f"processing_{k}": days[k] for k in ("mean_days", "median_days", "p90_days")})
        out[key] = values
    return out


def parse_number(text: str) -> int | float | None:
    """A number as the text and the HTML print it: "–" for none, a decimal comma."""
    text = text.strip()
    if text == "–":
        return None
    return float(text.replace(",", ".")) if "," in text else int(text)


class TableCells(HTMLParser):
    """The page's table as {data-key: {data-col: text}}, and every tag seen (name, attributes)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: dict[str, dict[str, str]] = {}
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._key: str | None = None
        self._col: str | None = None
        self._text = ""

    @classmethod
    def of(cls, page: str) -> TableCells:
        parser = cls()
        parser.feed(page)
        parser.close()
        return parser

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        attrs_ = dict(attributes)
        self.tags.append((tag, attrs_))
        if tag == "tr" and attrs_.get("data-key") is not None:
            self._key = attrs_["data-key"]
            self.rows[str(self._key)] = {}
        if attrs_.get("data-col") is not None:
            self._col, self._text = attrs_["data-col"], ""

    def handle_data(self, data: str) -> None:
        if self._col is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._col is not None and self._key is not None:
            self.rows[self._key][self._col] = self._text
            self._col = None
        if tag == "tr":
            self._key = None
