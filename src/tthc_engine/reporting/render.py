"""A period report (report.py) as plain text, CSV, JSON or one self-contained HTML page, byte for byte
the same every time (no clock, no randomness, no locale: the renderers format numbers themselves).

Who reads what: the text is for a terminal or an e-mail (fixed-width tables, Vietnamese headings); the
CSV is for a spreadsheet (machine column names, one row per group and a `total` row); the JSON is
`Report.to_dict()`, the form other programs read; the HTML is the page a desk prints or publishes —
inline CSS for the screen and A4 landscape paper (Circular 01/2018/TT-VPCP Art. 9(2)), charts drawn
here as inline SVG (no chart library, no script, no font or image to fetch: the page opens offline
and on an intranet that blocks the internet), and the full table, each number tagged with its column
and row so that a test can hold the page against the JSON.

User-facing text is Vietnamese first, English after it. Decimals are printed the Vietnamese way
(47,0) in the text and the HTML, with a dot in the CSV and the JSON (machine forms).
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import math
import textwrap
import unicodedata
from collections.abc import Callable, Sequence

import attrs

from tthc_engine.errors import ConfigurationError
from tthc_engine.reporting.report import (
    APPOINTMENT_COLUMNS,
    CHANNEL_COLUMNS,
    COLUMNS,
    PERIOD_GROUPS,
    Column,
    Counts,
    Report,
    ReportRow,
    columns,
)

REPORT_FORMATS = ("text", "csv", "json", "html")
TITLE = "BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
TITLE_EN = "Report on the handling of administrative procedures"
TOTAL_LABEL = "Tổng cộng"
TOTAL_KEY = "__total__"  # the totals row's data-key in the HTML (no group key can be it)
CSV_TOTAL_KEY = "total"
NONE = "–"  # a share whose base is zero, a processing time with no decided dossier

# (vi, en) of the group a row stands for
GROUP_NAMES: dict[str, tuple[str, str]] = {
    "agency": ("Cơ quan", "agency"),
    "field": ("Lĩnh vực", "field"),
    "level": ("Cấp", "level"),
    "procedure": ("Thủ tục", "procedure"),
    "channel": ("Kênh tiếp nhận", "channel"),
    "online_service": ("Mức độ dịch vụ công trực tuyến", "online-service kind"),
    "month": ("Tháng", "month"),
    "quarter": ("Quý", "quarter"),
    "half": ("6 tháng", "half-year"),
    "year": ("Năm", "year"),
}


@attrs.frozen
class Measure:
    """A figure that is not a count column: a share (percent) or a processing time (working days).
    `name` is its machine name in the CSV and the HTML's data-col; `short` its heading in a table
    whose band already says what it is (rates, processing time), `vi` its name standing alone."""

    name: str
    vi: str
    short: str
    en: str
    get: Callable[[Counts], float | None]
    due: str = ""


# fmt: off
RATES: tuple[Measure, ...] = (
    Measure("on_time_rate", "Tỷ lệ đúng hạn", "Đúng hạn", "on time", lambda c: c.on_time_rate, "legal"),
    Measure("online_share", "Tỷ lệ trực tuyến", "Trực tuyến", "online", lambda c: c.online_share),
    Measure("postal_share", "Tỷ lệ bưu chính", "Bưu chính", "postal", lambda c: c.postal_share),
    Measure("progress_rate", "Tiến độ giải quyết (QĐ 766)", "Tiến độ QĐ 766", "progress, Decision 766",
            lambda c: c.progress_rate, "appointment"),
)
TIMES: tuple[Measure, ...] = (
    Measure("processing_mean_days", "Thời gian giải quyết trung bình", "Trung bình", "mean",
            lambda c: c.processing.mean_days),
    Measure("processing_median_days", "Thời gian giải quyết trung vị", "Trung vị", "median",
            lambda c: c.processing.median_days),
    Measure("processing_p90_days", "Thời gian giải quyết P90", "P90", "90th percentile",
            lambda c: c.processing.p90_days),
)
# fmt: on
MEASURES = RATES + TIMES
# The exclusive columns: each dossier to handle is in exactly one, so they add up to the total.
EXCLUSIVE = ("early", "on_time", "late", "refused", "withdrawn", "cancelled", "within", "overdue")
# (fill, text on it): dark fills carry white numbers, light ones black, for contrast on screen and paper
COLOURS: dict[str, tuple[str, str]] = {
    "early": ("#1a7f3c", "#fff"),
    "on_time": ("#8fd18a", "#000"),
    "late": ("#c62828", "#fff"),
    "refused": ("#6a3d9a", "#fff"),
    "withdrawn": ("#b0b0b0", "#000"),
    "cancelled": ("#616161", "#fff"),
    "within": ("#1f5fa8", "#fff"),
    "overdue": ("#f4a340", "#000"),
    "received": ("#1f5fa8", "#fff"),
    "resolved": ("#1a7f3c", "#fff"),
}


def render_report(report: Report, format: str) -> str:
    """`report` in `format` (one of REPORT_FORMATS); each ends with a newline."""
    if format == "text":
        return _text(report)
    if format == "csv":
        return _csv(report)
    if format == "json":
        return json.dumps(report.to_dict(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    if format == "html":
        return _html(report)
    raise ConfigurationError(f"unknown report format {format!r}; use one of {', '.join(REPORT_FORMATS)}")


# --- shared wording ---


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _day(moment: dt.datetime) -> str:
    return moment.strftime("%d/%m/%Y")


def _at(moment: dt.datetime) -> str:
    return moment.strftime("%d/%m/%Y %H:%M")


def _midnight(moment: dt.datetime) -> bool:
    return moment.time() == dt.time(0)


def _offset(moment: dt.datetime) -> str:
    """The zone the bounds are in, " (UTC+07:00)", so that a reader elsewhere knows which midnight."""
    delta = moment.utcoffset()
    if delta is None:
        return ""
    minutes = int(delta.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    return f" (UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d})"


def period_text(start: dt.datetime, end: dt.datetime) -> str:
    """The period as a desk writes it: "01/01/2021 – 30/09/2021". `end` is exclusive, so a midnight
    end prints the day before it as the last day; any other end is printed as the moment it is."""
    first = _day(start) if _midnight(start) else _at(start)
    if _midnight(end):
        last = _day(end - dt.timedelta(days=1))
    else:
        last = f"trước {end.strftime('%H:%M')} ngày {_day(end)}"
    return f"{first} – {last}"


def _as_of(report: Report) -> str:
    when = f"{report.end.strftime('%H:%M')} ngày {_day(report.end)}{_offset(report.end)}"
    return (
        f"Số liệu tính đến {when}: hồ sơ đang giải quyết, quá hạn, chờ bổ sung là trạng thái tại thời "
        "điểm này (figures as known at the end of the period)"
    )


def _group_line(report: Report) -> str:
    if report.group_by is None:
        return "Nhóm theo: không (chỉ tổng cộng) — totals only"
    vi, en = GROUP_NAMES[report.group_by]
    return f"Nhóm theo: {vi.lower()} — by {en}"


_SUB_PERIODS = (
    "Mỗi dòng theo kỳ là một báo cáo riêng của kỳ đó (chuyển qua từ trước kỳ, trạng thái tại cuối kỳ); "
    "dòng Tổng cộng là cả kỳ báo cáo: cột tiếp nhận mới và các cột đã giải quyết, kết thúc cộng dồn được, "
    "cột chuyển qua và đang giải quyết thì không (each sub-period row is a report of its own: received "
    "and decided add up to the totals, carried over and in progress do not)."
)


def _legend(report: Report) -> list[str]:
    """Which columns are measured against which due (Decree 61/2018/ND-CP Art. 19(9): both are kept),
    what the shares are of, and — for sub-period rows — which columns of the rows add up to the totals."""
    legal = [c.vi for c in COLUMNS if c.due == "legal"] + [m.vi for m in MEASURES if m.due == "legal"]
    appointment = [c.vi for c in APPOINTMENT_COLUMNS] + [m.vi for m in MEASURES if m.due == "appointment"]
    return [
        "(1) Theo hạn giải quyết luật định (the legal due moment, Circular 01/2018/TT-VPCP Art. 13): "
        + ", ".join(legal)
        + ".",
        "(2) Theo ngày hẹn trả kết quả (the appointment: the rescheduled return date, else the legal due): "
        + ", ".join(appointment)
        + ".",
        "Tỷ lệ (%) trên: đúng hạn — số đã giải quyết; trực tuyến, bưu chính, tiến độ — tổng số phải giải "
        "quyết. Thời gian giải quyết: ngày làm việc, không kể thời gian chờ bổ sung, của hồ sơ đã có kết "
        "quả hoặc bị từ chối trong kỳ.",
        *([_SUB_PERIODS] if report.group_by in PERIOD_GROUPS else []),
    ]


def _decimal(value: float | None, digits: int) -> str:
    """Vietnamese decimal comma; NONE for a figure without a base."""
    return NONE if value is None else f"{value:.{digits}f}".replace(".", ",")


def _processing_line(counts: Counts) -> str:
    p = counts.processing
    if p.count == 0:
        return "Thời gian giải quyết (processing time): chưa có hồ sơ đã quyết định trong kỳ"
    return (
        f"Thời gian giải quyết (processing time, working days) của {p.count} hồ sơ: "
        f"TB {_decimal(p.mean_days, 2)} · trung vị {_decimal(p.median_days, 2)} · "
        f"P90 {_decimal(p.p90_days, 2)} ngày làm việc"
    )


def _pct(value: float | None) -> str:
    return NONE if value is None else _decimal(value, 1) + "%"


# --- text ---

_WRAP = 9  # heading lines of a number column wrap at this width
_TEXT_WIDTH = 108  # prose lines of the text wrap here
_LABEL_MAX = 32  # a longer group label is cut with "…" in the text (the CSV, JSON and HTML keep it)


def width(text: str) -> int:
    """Columns `text` takes in a terminal: combining marks take none, East Asian wide characters two.
    NFC Vietnamese has precomposed letters only, so this is len() for it — but a label typed with
    combining marks (NFD, from some keyboards) would otherwise misalign the table."""
    total = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        total += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return total


def _pad(text: str, size: int, right: bool = False) -> str:
    gap = " " * max(0, size - width(text))
    return gap + text if right else text + gap


def _cut(text: str, size: int) -> str:
    if width(text) <= size:
        return text
    out = ""
    for ch in text:
        if width(out + ch) > size - 1:
            break
        out += ch
    return out + "…"


def _wrap(heading: str) -> list[str]:
    return textwrap.wrap(_nfc(heading), _WRAP, break_long_words=False, break_on_hyphens=False) or [""]


def _table(
    title: str, heads: Sequence[str], label_head: str, rows: Sequence[tuple[str, list[str]]]
) -> list[str]:
    """One fixed-width block: a label column and right-aligned number columns under wrapped headings;
    the last of `rows` is the totals line, set off by a rule."""
    wrapped = [_wrap(h) for h in heads]
    sizes = [max([width(x) for x in w] + [width(r[1][i]) for r in rows]) for i, w in enumerate(wrapped)]
    label_size = max([width(label_head)] + [width(r[0]) for r in rows])
    depth = max(len(w) for w in wrapped)
    lines = [title]
    for level in range(depth):
        cells = [_pad(w[level - depth + len(w)] if level >= depth - len(w) else "", s, right=True)
                 for w, s in zip(wrapped, sizes, strict=True)]  # fmt: skip
        first = label_head if level == depth - 1 else ""
        lines.append(_pad(first, label_size) + "  " + "  ".join(cells))
    rule = "-" * (label_size + sum(sizes) + 2 * len(sizes))
    lines.append(rule)
    for i, (label, values) in enumerate(rows):
        if i == len(rows) - 1 and len(rows) > 1:
            lines.append(rule)
        cells = [_pad(v, s, right=True) for v, s in zip(values, sizes, strict=True)]
        lines.append((_pad(label, label_size) + "  " + "  ".join(cells)).rstrip())
    return [line.rstrip() for line in lines]


def _labelled(report: Report) -> list[tuple[str, Counts]]:
    rows = [(_cut(_nfc(r.label), _LABEL_MAX), r.counts) for r in report.rows]
    return [*rows, (TOTAL_LABEL, report.totals)]


def _note(due: str) -> str:
    """The legend's footnote number of a heading: (1) the legal due, (2) the appointment."""
    return " (1)" if due == "legal" else " (2)" if due == "appointment" else ""


def _text(report: Report) -> str:
    labelled = _labelled(report)
    label_head = GROUP_NAMES[report.group_by][0] if report.group_by else ""

    def block(title: str, cols: Sequence[Column]) -> list[str]:
        heads = [c.vi + _note(c.due) for c in cols]
        rows = [(label, [str(counts.value(c.name)) for c in cols]) for label, counts in labelled]
        return [*_table(title, heads, label_head, rows), ""]

    def measures(title: str, ms: Sequence[Measure], digits: int) -> list[str]:
        heads = [m.short + _note(m.due) for m in ms]
        rows = [(label, [_decimal(m.get(counts), digits) for m in ms]) for label, counts in labelled]
        return [*_table(title, heads, label_head, rows), ""]

    def wrapped(text: str, indent: str = "") -> list[str]:
        return textwrap.wrap(text, _TEXT_WIDTH, initial_indent=indent, subsequent_indent=indent + "  ")

    out = [
        TITLE,
        f"({TITLE_EN})",
        "",
        f"Kỳ báo cáo: {period_text(report.start, report.end)} (reporting period)",
        *wrapped(_as_of(report)),
        _group_line(report),
        "",
        *block("1. Tiếp nhận và kết quả giải quyết (received and outcome)", COLUMNS),
        *block("2. Theo ngày hẹn trả kết quả (against the appointment)", APPOINTMENT_COLUMNS),
        *block("3. Kênh tiếp nhận (channel)", CHANNEL_COLUMNS),
        *measures("4. Tỷ lệ, % (rates)", RATES, 1),
        *measures("5. Thời gian giải quyết, ngày làm việc (processing time, working days)", TIMES, 2),
        "Tổng cộng (totals):",
        *[f"  {m.vi} ({m.en}): {_pct(m.get(report.totals))}" for m in RATES],
        *wrapped(_processing_line(report.totals), "  "),
        "",
        "Chú giải (legend):",
    ]
    for note in _legend(report):
        out += wrapped(note, "  ")
    return "\n".join(_nfc(line) for line in out) + "\n"


# --- CSV ---


def csv_header() -> list[str]:
    """The CSV's one header row: machine names (the JSON's keys), so a spreadsheet formula or a
    script names a column the same way in every report, whatever the language of its headings."""
    return ["key", "label", *[c.name for c in columns()], *[m.name for m in MEASURES]]


def _csv_row(key: str, label: str, counts: Counts) -> list[str]:
    numbers = [str(counts.value(c.name)) for c in columns()]
    return [key, _nfc(label), *numbers, *["" if (v := m.get(counts)) is None else repr(v) for m in MEASURES]]


def _csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(csv_header())
    for r in report.rows:
        writer.writerow(_csv_row(r.key, r.label, r.counts))
    writer.writerow(_csv_row(CSV_TOTAL_KEY, TOTAL_LABEL, report.totals))
    return out.getvalue()


# --- HTML ---

_CSS = """@page{size:A4 landscape;margin:9mm 8mm}
*{box-sizing:border-box}
html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{font-family:"DejaVu Sans","Noto Sans",Arial,Helvetica,sans-serif;font-size:10pt;line-height:1.3;
color:#111;background:#fff;margin:0}
main{max-width:1480px;margin:0 auto;padding:12px 16px}
h1{font-size:1.35em;text-align:center;margin:0 0 2px}
h2{font-size:1.05em;margin:14px 0 4px}
.en{color:#555;font-weight:normal;font-size:.82em}
h1 .en{display:block}
.meta{text-align:center;margin:2px 0}
.summary{display:flex;flex-wrap:wrap;gap:6px 18px;justify-content:center;margin:10px 0;padding:0;
list-style:none}
.summary li{border:1px solid #ccc;border-radius:4px;padding:3px 8px}
.summary b{font-size:1.1em}
figure{margin:8px 0;break-inside:avoid;page-break-inside:avoid}
figcaption{font-weight:bold;margin-bottom:3px}
svg{display:block;width:100%;height:auto;max-width:960px}
svg text{font-family:"DejaVu Sans","Noto Sans",Arial,Helvetica,sans-serif}
.wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:7.6pt}
caption{caption-side:top;text-align:left;font-weight:bold;font-size:1.25em;padding:4px 0}
th,td{border:1px solid #444;padding:2px 3px;vertical-align:top}
thead th{background:#eef2f7;text-align:center;font-weight:bold;vertical-align:bottom}
thead th .en{display:block;font-size:.88em}
tbody th,tfoot th{text-align:left;font-weight:normal}
td{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tfoot th,tfoot td{font-weight:bold;border-top:2px solid #000;background:#f6f6f6}
tr{break-inside:avoid;page-break-inside:avoid}
sup{font-size:.75em}
.notes{font-size:.86em;margin-top:6px}.notes p{margin:2px 0}
tbody th,tfoot th{min-width:8.5em}
@media print{main{max-width:none;padding:0}body{font-size:9pt}.wrap{overflow:visible}
tfoot{display:table-row-group}svg{max-width:100%}
table{font-size:7pt}td{padding:1px 2px}
thead tr+tr th{writing-mode:sideways-lr;text-align:left;vertical-align:middle;height:44mm;padding:3px 1px}}
"""


def _e(text: str) -> str:
    return html.escape(_nfc(text), quote=True)


def _en(text: str) -> str:
    """The English after a Vietnamese text, marked as English for screen readers and hyphenation."""
    return f'<span class="en" lang="en">{_e(text)}</span>'


def _f(x: float) -> str:
    """An SVG coordinate: one decimal, always, so that the bytes do not depend on float printing."""
    return f"{x:.1f}"


def _mark(due: str) -> str:
    return "<sup>(1)</sup>" if due == "legal" else "<sup>(2)</sup>" if due == "appointment" else ""


def _html(report: Report) -> str:
    period = period_text(report.start, report.end)
    group = GROUP_NAMES[report.group_by] if report.group_by else None
    t = report.totals
    summary = [
        ("Tổng số phải giải quyết", "total to handle", str(t.total)),
        ("Đã giải quyết", "resolved", str(t.resolved)),
        ("Đang giải quyết", "in progress", str(t.in_progress)),
        *[(m.vi, m.en, _pct(m.get(t))) for m in RATES],
        (
            "Thời gian giải quyết TB / trung vị / P90",
            "processing, working days",
            " / ".join(_decimal(m.get(t), 2) for m in TIMES) + " ngày",
        ),
    ]
    body = [
        f"<header><h1>{_e(TITLE)}{_en(TITLE_EN)}</h1>",
        f'<p class="meta">Kỳ báo cáo: <strong>{_e(period)}</strong> '
        f'<span class="en" lang="en">reporting period</span></p>',
        f'<p class="meta">{_e(_as_of(report))}</p>',
        f'<p class="meta">{_e(_group_line(report))}</p></header>',
        '<ul class="summary">'
        + "".join(f"<li>{_e(vi)} {_en(en)}: <b>{_e(value)}</b></li>" for vi, en, value in summary)
        + "</ul>",
        '<h2>Biểu đồ <span class="en" lang="en">charts</span></h2>',
        _figure(
            "Kết quả theo cột (tổng cộng)",
            "outcome of every dossier to handle",
            _stacked_bar(t),
        ),
    ]
    if report.rows:
        what = group[0].lower() if group else ""
        body.append(
            _figure(f"Tỷ lệ đúng hạn theo {what}", "on-time rate by group (legal due)", _rate_bars(report))
        )
    if report.group_by in PERIOD_GROUPS and report.rows:
        body.append(
            _figure(
                "Tiếp nhận mới và đã giải quyết theo kỳ",
                "received and resolved per sub-period",
                _trend(report),
            )
        )
    body += [_table_html(report, period, group), _notes(report)]
    title = f"Báo cáo giải quyết thủ tục hành chính {period}"
    return (
        '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{_e(title)}</title>'
        f"<style>{_CSS}</style></head><body><main>{''.join(body)}</main></body></html>\n"
    )


def _figure(vi: str, en: str, svg: str) -> str:
    return f"<figure><figcaption>{_e(vi)} {_en(en)}</figcaption>{svg}</figure>"


def _svg(ident: str, title: str, desc: str, w: int, h: int, parts: Sequence[str]) -> str:
    """An inline SVG (no xmlns needed in HTML, so no URL on the page) that a screen reader announces
    as one image with its title and a description listing the numbers."""
    return (
        f'<svg role="img" aria-labelledby="{ident}-t {ident}-d" viewBox="0 0 {w} {h}" width="{w}" '
        f'height="{h}"><title id="{ident}-t">{_e(title)}</title><desc id="{ident}-d">{_e(desc)}</desc>'
        + "".join(parts)
        + "</svg>"
    )


def _text_el(x: float, y: float, text: str, *, size: int = 12, anchor: str = "start", fill: str = "#111",
             bold: bool = False) -> str:  # fmt: skip
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{_f(x)}" y="{_f(y)}" font-size="{size}" text-anchor="{anchor}" fill="{fill}"{weight}>'
        f"{_e(text)}</text>"
    )


def _rect(x: float, y: float, w: float, h: float, fill: str, tip: str = "") -> str:
    title = f"<title>{_e(tip)}</title>" if tip else ""
    return f'<rect x="{_f(x)}" y="{_f(y)}" width="{_f(w)}" height="{_f(h)}" fill="{fill}">{title}</rect>'


def _text_width(text: str, size: int) -> float:
    """A conservative estimate of a label's width in the SVG (no font metrics without a browser)."""
    return 0.62 * size * width(text)


def _share_of(part: int, whole: int) -> str:
    return _pct(None if whole == 0 else round(100.0 * part / whole, 1))


def _stacked_bar(counts: Counts) -> str:
    """Chart (a): every dossier to handle in exactly one of the eight exclusive columns, one bar."""
    w, bar_y, bar_h = 960, 8, 40
    names = {c.name: c.vi for c in COLUMNS}
    total = counts.total
    parts: list[str] = []
    if total == 0:
        parts.append(_rect(0, bar_y, w, bar_h, "#eeeeee"))
        parts.append(_text_el(w / 2, bar_y + 25, "Không có hồ sơ trong kỳ (no dossier)", anchor="middle"))
    else:
        x = 0.0
        for name in EXCLUSIVE:
            n = counts.value(name)
            if n == 0:
                continue
            seg = w * n / total
            fill, ink = COLOURS[name]
            parts.append(_rect(x, bar_y, seg, bar_h, fill, f"{names[name]}: {n}"))
            if seg >= _text_width(str(n), 12) + 6:
                parts.append(_text_el(x + seg / 2, bar_y + 25, str(n), anchor="middle", fill=ink, bold=True))
            x += seg
    per_row, col_w, row_h, top = 3, 320, 22, bar_y + bar_h + 14
    for i, name in enumerate(EXCLUSIVE):
        lx, ly = (i % per_row) * col_w, top + (i // per_row) * row_h
        n = counts.value(name)
        parts.append(_rect(lx, ly, 14, 14, COLOURS[name][0]))
        parts.append(_text_el(lx + 20, ly + 12, f"{names[name]}: {n} ({_share_of(n, total)})", size=12))
    h = top + math.ceil(len(EXCLUSIVE) / per_row) * row_h
    desc = f"Tổng số phải giải quyết {total}: " + "; ".join(
        f"{names[n]} {counts.value(n)}" for n in EXCLUSIVE
    )
    return _svg("chart-totals", "Kết quả giải quyết, tổng cộng", desc, w, h, parts)


def _rate_bars(report: Report) -> str:
    """Chart (b): the on-time rate of each group and of the totals, 0–100 %."""
    entries: list[tuple[str, float | None, bool]] = [
        (r.label, r.counts.on_time_rate, False) for r in report.rows
    ]
    entries.append((TOTAL_LABEL, report.totals.on_time_rate, True))
    w, label_w, value_w, row_h, top = 960, 300, 210, 24, 20
    plot_w = w - label_w - value_w
    h = top + row_h * len(entries) + 6
    parts = []
    for pct in (0, 25, 50, 75, 100):
        x = label_w + plot_w * pct / 100
        parts.append(f'<line x1="{_f(x)}" y1="{top - 4}" x2="{_f(x)}" y2="{h - 4}" stroke="#ccc"/>')
        parts.append(_text_el(x, top - 8, f"{pct}%", size=10, anchor="middle", fill="#555"))
    for i, (label, rate, total) in enumerate(entries):
        y = top + i * row_h
        shown = _cut(_nfc(label), int((label_w - 10) / (0.62 * 12)))
        parts.append(_text_el(label_w - 8, y + 16, shown, anchor="end", bold=total))
        if rate is None:
            parts.append(_text_el(label_w + 4, y + 16, "– chưa có hồ sơ đã giải quyết", size=11, fill="#555"))
            continue
        bar = plot_w * rate / 100
        fill = "#333" if total else COLOURS["early"][0]
        parts.append(_rect(label_w, y + 4, bar, row_h - 8, fill, f"{label}: {_pct(rate)}"))
        parts.append(_text_el(label_w + bar + 6, y + 16, _pct(rate), bold=total))
    desc = "; ".join(f"{label} {_pct(rate)}" for label, rate, _ in entries)
    return _svg("chart-rates", "Tỷ lệ đúng hạn (on-time rate)", desc, w, h, parts)


def _nice_step(top: int) -> int:
    """A 1-2-5 step giving at most five gridlines up to `top` (an axis a reader can read off)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if top / (step * factor) <= 5:
                return step * factor
        step *= 10


def _short(row: ReportRow, group_by: str | None) -> str:
    if group_by == "month" and row.start is not None:
        return row.start.strftime("%m/%Y")
    return _nfc(row.label)


def _trend(report: Report) -> str:
    """Chart (c): received and resolved per sub-period, grouped bars with their numbers."""
    rows = report.rows
    w, h, left, bottom, top = 960, 300, 48, 46, 30
    plot_w, plot_h = w - left - 8, h - top - bottom
    peak = max([max(r.counts.received, r.counts.resolved) for r in rows] + [1])
    step = _nice_step(peak)
    axis_top = step * math.ceil(peak / step)
    series = (("received", "Tiếp nhận mới"), ("resolved", "Đã giải quyết"))
    parts = []
    for i, (name, vi) in enumerate(series):
        parts.append(_rect(left + i * 170, 4, 14, 14, COLOURS[name][0]))
        parts.append(_text_el(left + i * 170 + 20, 16, vi))
    for tick in range(0, axis_top + 1, step):
        y = top + plot_h * (1 - tick / axis_top)
        parts.append(f'<line x1="{left}" y1="{_f(y)}" x2="{w - 8}" y2="{_f(y)}" stroke="#ddd"/>')
        parts.append(_text_el(left - 6, y + 4, str(tick), size=10, anchor="end", fill="#555"))
    slot = plot_w / len(rows)
    bar_w = min(40.0, slot * 0.36)
    rotate = max(_text_width(_short(r, report.group_by), 11) for r in rows) > slot - 4
    for i, row in enumerate(rows):
        cx = left + slot * (i + 0.5)
        for j, (name, vi) in enumerate(series):
            n = row.counts.resolved if name == "resolved" else row.counts.received
            bh = plot_h * n / axis_top
            x = cx - bar_w - 1 if j == 0 else cx + 1
            parts.append(_rect(x, top + plot_h - bh, bar_w, bh, COLOURS[name][0], f"{row.label}, {vi}: {n}"))
            if _text_width(str(n), 10) <= bar_w + 4:  # a number wider than its bar would overlap the next
                parts.append(_text_el(x + bar_w / 2, top + plot_h - bh - 3, str(n), size=10, anchor="middle"))
        label, ly = _short(row, report.group_by), top + plot_h + 16
        if rotate:
            parts.append(
                f'<text x="{_f(cx)}" y="{_f(ly)}" font-size="11" text-anchor="end" fill="#111" '
                f'transform="rotate(-30 {_f(cx)} {_f(ly)})">{_e(label)}</text>'
            )
        else:
            parts.append(_text_el(cx, ly, label, size=11, anchor="middle"))
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{w - 8}" y2="{top + plot_h}" stroke="#333"/>')
    desc = "; ".join(
        f"{r.label}: tiếp nhận {r.counts.received}, đã giải quyết {r.counts.resolved}" for r in rows
    )
    return _svg("chart-trend", "Tiếp nhận mới và đã giải quyết theo kỳ", desc, w, h, parts)


# the table's column groups: (vi, en, members) — members are Column or Measure names
_BANDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Số hồ sơ phải giải quyết", "to handle", ("carried_over", "received", "total")),
    ("Đã giải quyết, kết thúc", "decided or closed", ("early", "on_time", "late", "refused", "withdrawn",
                                                      "cancelled")),
    ("Đang giải quyết", "in progress", ("within", "overdue", "paused")),
    ("Theo ngày hẹn trả", "against the appointment", tuple(c.name for c in APPOINTMENT_COLUMNS)),
    ("Kênh tiếp nhận", "channel", tuple(c.name for c in CHANNEL_COLUMNS)),
    ("Tỷ lệ (%)", "rates", tuple(m.name for m in RATES)),
    ("Thời gian giải quyết (ngày làm việc)", "processing, working days", tuple(m.name for m in TIMES)),
)  # fmt: skip


def _cells(counts: Counts) -> str:
    ints = "".join(f'<td data-col="{c.name}">{counts.value(c.name)}</td>' for c in columns())
    rates = "".join(f'<td data-col="{m.name}">{_decimal(m.get(counts), 1)}</td>' for m in RATES)
    times = "".join(f'<td data-col="{m.name}">{_decimal(m.get(counts), 2)}</td>' for m in TIMES)
    return ints + rates + times


def _table_html(report: Report, period: str, group: tuple[str, str] | None) -> str:
    by_name: dict[str, tuple[str, str, str]] = {c.name: (c.vi, c.en, c.due) for c in columns()}
    by_name.update({m.name: (m.short, m.en, m.due) for m in MEASURES})
    order = [name for _, _, names in _BANDS for name in names]
    vi, en = group if group else ("Nhóm", "group")
    bands = "".join(
        f'<th scope="colgroup" colspan="{len(names)}">{_e(b_vi)}{_en(b_en)}</th>'
        for b_vi, b_en, names in _BANDS
    )
    leaves = "".join(
        f'<th scope="col">{_e(by_name[n][0])}{_mark(by_name[n][2])}{_en(by_name[n][1])}</th>' for n in order
    )
    head = (
        f'<thead><tr><th scope="col" rowspan="2">{_e(vi)}{_en(en)}</th>{bands}</tr><tr>{leaves}</tr></thead>'
    )
    rows = "".join(
        f'<tr data-key="{_e(r.key)}"><th scope="row">{_e(r.label)}</th>{_cells(r.counts)}</tr>'
        for r in report.rows
    )
    total = f'<tr data-key="{TOTAL_KEY}"><th scope="row">{_e(TOTAL_LABEL)}</th>{_cells(report.totals)}</tr>'
    what = f" theo {vi.lower()}" if group else ""
    caption = f"Bảng: kết quả giải quyết thủ tục hành chính{what}, {period}"
    return (
        f'<h2>Bảng số liệu <span class="en" lang="en">table</span></h2><div class="wrap"><table>'
        f'<caption>{_e(caption)} <span class="en" lang="en">the report as a table</span></caption>'
        f"{head}<tbody>{rows}</tbody><tfoot>{total}</tfoot></table></div>"
    )


def _notes(report: Report) -> str:
    return (
        f'<div class="notes"><p><strong>Chú giải</strong> {_en("legend")}</p>'
        + "".join(f"<p>{_e(note)}</p>" for note in _legend(report))
        + "</div>"
    )
