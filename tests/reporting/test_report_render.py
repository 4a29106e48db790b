"""reporting/render.py: a period report as text, CSV, JSON and HTML says the same numbers as
`Report.to_dict()` (the JSON other programs read), adds up, escapes what it prints, asks the network
for nothing and is the same bytes every time.

The report is the one of tests/reporting/report_helpers.py: 600 seeded dossier lives over 2021.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import unicodedata

import attrs
import pytest
import report_helpers
from report_helpers import TableCells, expected_cells, parse_number

import tthc_engine as te
from tthc_engine.reporting.render import (
    EXCLUSIVE,
    MEASURES,
    REPORT_FORMATS,
    TOTAL_KEY,
    csv_header,
    period_text,
    render_report,
    width,
)
from tthc_engine.reporting.report import COLUMNS, Counts, Report, ReportRow, columns

VN = dt.timezone(dt.timedelta(hours=7))
# groups whose rows split the period's dossiers: every count column of the rows adds up to the totals
SPLITTING = ("agency", "channel", "procedure", "field", "level", "online_service")


@pytest.fixture(scope="module")
def by_month() -> Report:
    return report_helpers.report("month")


@pytest.fixture(scope="module")
def by_agency() -> Report:
    return report_helpers.report("agency")


# --- the formats ---


def test_formats_and_unknown_format(by_month: Report) -> None:
    assert REPORT_FORMATS == ("text", "csv", "json", "html")
    for fmt in REPORT_FORMATS:
        assert render_report(by_month, fmt).endswith("\n")
    with pytest.raises(te.ConfigurationError, match="text, csv, json, html") as caught:
        render_report(by_month, "pdf")
    assert "'pdf'" in str(caught.value)


@pytest.mark.parametrize("fmt", REPORT_FORMATS)
def test_same_bytes_every_time(fmt: str) -> None:
    """Twice from one report, and from a second engine driven with the same lives: no clock, no
    randomness, no dict order from a set leaks into any format."""
    first = report_helpers.report("month")
    again = report_helpers.driven_engine.__wrapped__().report("2021-01-01", "2021-10-01", "month")
    out = render_report(first, fmt)
    assert render_report(first, fmt) == out
    assert render_report(again, fmt).encode("utf-8") == out.encode("utf-8")


def test_json_is_to_dict(by_month: Report) -> None:
    out = render_report(by_month, "json")
    assert json.loads(out) == by_month.to_dict()
    assert "Tháng 01/2021" in out  # UTF-8, not \\u escapes
    assert list(json.loads(out)) == list(by_month.to_dict())  # the report's own key order


# --- text ---


def _block(text: str, number: str) -> list[str]:
    """The lines of the text's table `number` ("1." …), from its title to the blank line after it."""
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith(number + " "))
    end = lines.index("", first)
    return lines[first:end]


def _rows(block: list[str]) -> list[str]:
    """The data lines of a block: those after the first rule, rules left out."""
    rule = next(i for i, line in enumerate(block) if set(line) == {"-"})
    return [line for line in block[rule + 1 :] if set(line) != {"-"}]


def _numbers(line: str, count: int) -> list[int | float | None]:
    return [parse_number(x) for x in line.split()[-count:]]


def test_text_header_period_and_legend(by_month: Report) -> None:
    text = render_report(by_month, "text")
    assert text.startswith("BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH\n")
    assert "Kỳ báo cáo: 01/01/2021 – 30/09/2021" in text  # end is exclusive: 1 October is not in it
    assert "Số liệu tính đến 00:00 ngày 01/10/2021 (UTC+07:00)" in text
    assert "Nhóm theo: tháng" in text
    for heading in (
        "Kỳ trước",
        "Tiếp nhận",
        "Đã giải",
        "Trước hẹn",
        "Trực tiếp",
        "Đúng hạn",
        "Trung vị",
        "P90",
    ):
        assert heading in text
    legend = " ".join(text[text.index("Chú giải") :].split())  # wrapped at 108 columns
    assert "(1) Theo hạn giải quyết luật định" in legend and "(2) Theo ngày hẹn trả" in legend
    assert "Đã giải quyết trước hạn" in legend.split("(2)")[0]  # early is a legal-due column
    assert "Trễ hẹn" in legend.split("(2)")[1]
    assert "Mỗi dòng theo kỳ là một báo cáo riêng" in legend  # sub-period rows are not summed
    t = by_month.totals
    assert f"của {t.processing.count} hồ sơ: TB " in text
    assert str(t.processing.mean_days).replace(".", ",") in text
    assert text == unicodedata.normalize("NFC", text)


def test_text_totals_reconcile(by_agency: Report) -> None:
    """Table 1's totals line: total = carried over + received = the exclusive columns; each count column
    is the sum of the rows' (agency rows split the dossiers); every table agrees with the report."""
    text = render_report(by_agency, "text")
    for number, cols in (("1.", COLUMNS), ("2.", columns()[len(COLUMNS) : len(COLUMNS) + 5]),
                         ("3.", columns()[len(COLUMNS) + 5 :])):  # fmt: skip
        lines = _rows(_block(text, number))
        assert len(lines) == len(by_agency.rows) + 1
        assert lines[-1].startswith("Tổng cộng")
        total = _numbers(lines[-1], len(cols))
        assert total == [by_agency.totals.value(c.name) for c in cols]
        rows = [_numbers(line, len(cols)) for line in lines[:-1]]
        assert [sum(r[i] for r in rows) for i in range(len(cols))] == total  # type: ignore[misc]
        for row, report_row in zip(rows, by_agency.rows, strict=True):
            assert row == [report_row.counts.value(c.name) for c in cols]
    names = [c.name for c in COLUMNS]
    total = dict(zip(names, _numbers(_rows(_block(text, "1."))[-1], len(COLUMNS)), strict=True))
    assert total["total"] == total["carried_over"] + total["received"]  # type: ignore[operator]
    assert total["total"] == sum(total[n] for n in EXCLUSIVE)  # type: ignore[misc]
    rates = _numbers(_rows(_block(text, "4."))[-1], 4)
    t = by_agency.totals
    assert rates == [t.on_time_rate, t.online_share, t.postal_share, t.progress_rate]
    times = _numbers(_rows(_block(text, "5."))[-1], 3)
    assert times == [t.processing.mean_days, t.processing.median_days, t.processing.p90_days]


def test_text_columns_line_up_with_vietnamese_and_combining_marks(by_agency: Report) -> None:
    """Every row of a table is as wide as its rule, so the numbers end in the same column: a label
    typed decomposed (NFD, combining marks) is normalised, a too long one cut with "…"."""
    nfd = unicodedata.normalize("NFD", "Ủy ban nhân dân phường Thuận Hòa")
    rows = (
        *by_agency.rows,
        ReportRow("x", nfd, by_agency.rows[0].counts),
        ReportRow("y", "Đ" * 60, Counts()),
    )
    text = render_report(attrs.evolve(by_agency, rows=rows), "text")
    assert unicodedata.normalize("NFC", nfd) in text and "Đ" * 31 + "…" in text and "Đ" * 32 not in text
    for number in ("1.", "2.", "3.", "4.", "5."):
        block = _block(text, number)
        rule = next(line for line in block if set(line) == {"-"})
        assert {width(line) for line in _rows(block)} == {len(rule)}, number  # right-aligned numbers
        assert all(width(line) <= len(rule) for line in block[1:]), number  # headings, rstripped


def test_text_width_counts_what_a_terminal_shows() -> None:
    assert width("Tổng cộng") == 9
    assert width(unicodedata.normalize("NFD", "Tổng cộng")) == 9
    assert width("中文") == 4


def test_period_text_end_is_exclusive() -> None:
    start = dt.datetime(2021, 1, 1, tzinfo=VN)
    assert period_text(start, dt.datetime(2021, 10, 1, tzinfo=VN)) == "01/01/2021 – 30/09/2021"
    assert period_text(start, dt.datetime(2022, 1, 1, tzinfo=VN)) == "01/01/2021 – 31/12/2021"
    assert period_text(start, dt.datetime(2021, 3, 1, tzinfo=VN)) == "01/01/2021 – 28/02/2021"
    mid = dt.datetime(2021, 6, 15, 14, 30, tzinfo=VN)
    assert (
        period_text(dt.datetime(2021, 6, 1, 8, 0, tzinfo=VN), mid)
        == "01/06/2021 08:00 – trước 14:30 ngày 15/06/2021"
    )


# --- CSV ---


def _csv(report: Report) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(render_report(report, "csv"))))


@pytest.mark.parametrize("group_by", ["month", "agency", None])
def test_csv_parses_back_to_the_json_numbers(group_by: te.GroupBy | None) -> None:
    report = report_helpers.report(group_by)
    out = render_report(report, "csv")
    assert out.splitlines()[0].split(",") == csv_header()
    assert "\r" not in out
    rows = _csv(report)
    assert [r["key"] for r in rows] == [r.key for r in report.rows] + ["total"]
    assert [r["label"] for r in rows] == [r.label for r in report.rows] + ["Tổng cộng"]
    want = expected_cells(report)
    for row, key in zip(rows, [*(r.key for r in report.rows), TOTAL_KEY], strict=True):
        got = {
            name: (
                None if value == "" else float(value) if name in {m.name for m in MEASURES} else int(value)
            )
            for name, value in row.items()
            if name not in ("key", "label")
        }
        assert got == want[key], key


@pytest.mark.parametrize("group_by", [*SPLITTING, "month"])
def test_csv_totals_reconcile(group_by: te.GroupBy) -> None:
    """The `total` row is the sum of the rows for every count column when the rows split the period's
    dossiers; by sub-period (each row a report of its own) for the received and decided columns."""
    rows = _csv(report_helpers.report(group_by))
    total, body = rows[-1], rows[:-1]
    adding = [c.name for c in columns()]
    if group_by == "month":
        adding = ["received", "early", "on_time", "late", "refused", "withdrawn", "cancelled"]
    for name in adding:
        assert sum(int(r[name]) for r in body) == int(total[name]), name
    assert int(total["total"]) == sum(int(total[n]) for n in EXCLUSIVE)


def test_empty_report_renders_in_every_format() -> None:
    """A period without a dossier: zeros, shares and times without a base print as none."""
    report = te.Engine(
        te.Catalog.load(report_helpers.lives.ROOT / "procedures"), calendar=te.WorkCalendar.vietnam()
    ).report("2021-01-01", "2021-02-01", "month")
    text = render_report(report, "text")
    assert "Kỳ báo cáo: 01/01/2021 – 31/01/2021" in text
    assert "chưa có hồ sơ đã quyết định" in text
    total = _csv(report)[-1]
    assert total["total"] == "0" and total["on_time_rate"] == "" and total["processing_p90_days"] == ""
    page = render_report(report, "html")
    assert "Không có hồ sơ trong kỳ" in page
    assert TableCells.of(page).rows[TOTAL_KEY]["on_time_rate"] == "–"


# --- HTML ---


@pytest.mark.parametrize("group_by", ["month", "agency", "channel", "quarter", None])
def test_html_table_says_the_json_numbers(group_by: te.GroupBy | None) -> None:
    report = report_helpers.report(group_by)
    cells = TableCells.of(render_report(report, "html"))
    want = expected_cells(report)
    assert list(cells.rows) == [r.key for r in report.rows] + [TOTAL_KEY]
    assert all(list(row) == csv_header()[2:] for row in cells.rows.values())  # the CSV's columns, in order
    for key, values in want.items():
        assert {col: parse_number(text) for col, text in cells.rows[key].items()} == values, key


def test_html_is_self_contained(by_month: Report) -> None:
    page = render_report(by_month, "html")
    for ref in ("http://", "https://", "<script", "@import", "url(", "src=", "href=", "<link", "<img"):
        assert ref not in page, ref


def test_html_page_structure(by_month: Report) -> None:
    page = render_report(by_month, "html")
    assert page.startswith('<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">')
    assert "<title>Báo cáo giải quyết thủ tục hành chính 01/01/2021 – 30/09/2021</title>" in page
    assert "@page{size:A4 landscape" in page and "@media print" in page
    assert "Kỳ báo cáo: <strong>01/01/2021 – 30/09/2021</strong>" in page
    assert "Số liệu tính đến 00:00 ngày 01/10/2021" in page
    cells = TableCells.of(page)
    tags = [t for t, _ in cells.tags]
    for tag in ("table", "caption", "thead", "tbody", "tfoot"):
        assert tags.count(tag) == 1, tag
    assert all(a.get("scope") in ("col", "colgroup", "row") for t, a in cells.tags if t == "th")
    assert sum(1 for t, a in cells.tags if t == "th" and a.get("scope") == "row") == len(by_month.rows) + 1
    svgs = [a for t, a in cells.tags if t == "svg"]
    assert len(svgs) == 3  # totals by column, on-time rate by month, the trend
    assert all(a.get("role") == "img" and a.get("viewbox") for a in svgs)
    for ident in ("chart-totals", "chart-rates", "chart-trend"):
        assert f'aria-labelledby="{ident}-t {ident}-d"' in page and f'<title id="{ident}-t">' in page
    assert "Tỷ lệ đúng hạn theo tháng" in page and "Tiếp nhận mới và đã giải quyết theo kỳ" in page
    for name, colour in (("early", "#1a7f3c"), ("late", "#c62828"), ("overdue", "#f4a340")):
        assert f'fill="{colour}"' in page, name
    assert f">{by_month.totals.late}</text>" in page  # the numbers are written on the bar


@pytest.mark.parametrize(("group_by", "charts"), [(None, 1), ("agency", 2), ("year", 3), ("half", 3)])
def test_html_charts_follow_the_grouping(group_by: te.GroupBy | None, charts: int) -> None:
    """The bar of the totals always; the on-time rate per row when there are rows; the trend only when
    the rows are sub-periods."""
    page = render_report(report_helpers.report(group_by), "html")
    assert page.count('<svg role="img"') == charts
    assert ("chart-rates" in page) == (group_by is not None)
    assert ("chart-trend" in page) == (charts == 3)


def test_escaping_of_labels_and_keys(by_agency: Report) -> None:
    label, key = 'Sở <Tư pháp> & "Hộ tịch"', "a<b&c"
    report = attrs.evolve(by_agency, rows=(ReportRow(key, label, by_agency.rows[0].counts), *by_agency.rows))
    page = render_report(report, "html")
    assert "<Tư pháp>" not in page and "&lt;Tư pháp&gt; &amp; &quot;Hộ tịch&quot;" in page
    assert 'data-key="a&lt;b&amp;c"' in page
    assert key in TableCells.of(page).rows
    assert f"<title>{'Sở &lt;Tư pháp&gt; &amp; &quot;Hộ tịch&quot;'}: " in page  # the chart's tooltip too
    assert label in render_report(report, "text")
    assert _csv(report)[0]["label"] == label
    assert json.loads(render_report(report, "json"))["rows"][0]["label"] == label


def test_the_docs_example_is_what_the_renderer_prints() -> None:
    """The text example in the docs (docs/report-output.md, or docs/reports.md once merged) is cut
    from the real output of the quarterly report of the test data: each of its paragraphs is in it."""
    docs = report_helpers.lives.ROOT / "docs"
    block = re.compile(r"^```text\n(BÁO CÁO TÌNH HÌNH.*?)^```$", re.S | re.M)
    examples = [b for page in sorted(docs.glob("*.md")) for b in block.findall(page.read_text("utf-8"))]
    assert examples, "no text example of a report in docs/"
    text = render_report(report_helpers.report("quarter"), "text")
    for example in examples:
        for paragraph in example.strip("\n").split("\n\n"):
            assert paragraph in text, paragraph
