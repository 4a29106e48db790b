"""A template plus the projected fields → plain text, JSON or print-ready HTML, byte for byte the same
every time (no clock, no randomness, sorted JSON keys, no network in the HTML).

The HTML is one self-contained page: inline CSS with `@page` at the template's paper size (A5 for the
forms, A4 landscape for the book: Circular 01/2018/TT-VPCP Art. 9(2)), the legal header (Quốc hiệu and
tiêu ngữ), an inline SVG QR code of the dossier number when segno is installed (the `forms` extra;
without it the page says so), and the verification code.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from typing import Any

from tthc_engine.errors import ConfigurationError
from tthc_engine.reporting.forms.templates import Template

FORM_FORMAT = "tthc-form/1"
FORMATS = ("text", "json", "html")
BLANK = "…………"
_FIELD = re.compile(r"\{([a-z_][a-z0-9_.]*)\}")


def fill(pattern: str, fields: Mapping[str, Any]) -> str:
    """`{dotted.name}` replaced by the field's value; an empty or missing one by a dotted blank
    (the paper form's line to fill by hand), never by an error: a host template may name any field."""

    def one(match: re.Match[str]) -> str:
        value: Any = fields
        for part in match.group(1).split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
        return BLANK if value in (None, "", []) else str(value)

    return _FIELD.sub(one, pattern)


def qr_svg(text: str) -> str | None:
    """An inline SVG QR code of `text` (segno, the optional `forms` extra), or None without it."""
    try:
        import segno
    except ImportError:
        return None
    svg: str = segno.make(text, error="m", micro=False).svg_inline(scale=2, title=text, omitsize=False)
    return svg


def render(template: Template, fields: Mapping[str, Any], code: str | None, fmt: str) -> str:
    if fmt == "text":
        return _text(template, fields, code)
    if fmt == "json":
        return _json(template, fields, code)
    if fmt == "html":
        return _html(template, fields, code)
    raise ConfigurationError(f"unknown form format {fmt!r}; use one of {', '.join(FORMATS)}")


def _rows(section: Mapping[str, Any], fields: Mapping[str, Any]) -> tuple[list[str], list[list[str]]]:
    columns = section["columns"]
    rows = [[fill(c["value"], row) for c in columns] for row in fields.get(section["table"]) or ()]
    return [str(c["label"]) for c in columns], rows


def _footer(template: Template, fields: Mapping[str, Any], code: str | None) -> list[str]:
    lines = [] if template.form == "06" else [_number_line(template, fields).replace("Số:", "Mã hồ sơ:")]
    if code is not None:
        lines.append(f"Mã xác thực: {code} (tthc form verify {code})")
    lines.append(f"{template.source}; {template.set_name}")
    if not template.confirmed:
        lines.append("Lời văn mẫu chưa đối chiếu với phụ lục (UNCONFIRMED)")
    return lines


def _number_line(template: Template, fields: Mapping[str, Any]) -> str:
    """The number under the agency's name: the national number, else (a dossier declined at the desk
    never got one) its lodgement reference."""
    if template.form == "06":
        return ""
    if not fields.get("number") and fields.get("reference"):
        return f"Mã nộp hồ sơ: {fields['reference']}"
    return f"Số: {fields.get('number') or BLANK}"


def _text(template: Template, fields: Mapping[str, Any], code: str | None) -> str:
    out = [
        f"{fields.get('agency_name', '')}".upper() + f"   |   {template.nation}",
        f"{_number_line(template, fields)}   |   {template.motto}",
        f"{'':>40}……, {fields.get('issued_date', '')}",
        "",
        f"Mẫu số {template.number}",
        template.title,
        "",
    ]
    for section in template.sections:
        if "text" in section:
            out.append(fill(section["text"], fields))
        elif "label" in section and "value" in section:
            out.append(f"{section['label']}: {fill(section['value'], fields)}")
        elif "list" in section:
            items = fields.get(section["list"]) or []
            out.append(f"{section.get('label', '')}:" + ("" if items else f" {BLANK}"))
            out += [f"  {i}. {item}" for i, item in enumerate(items, start=1)]
        elif "table" in section:
            labels, rows = _rows(section, fields)
            out.append(" | ".join(labels))
            out += [" | ".join(r) for r in rows] or [BLANK]
        elif "signatures" in section:
            out.append("")
            out += [f"{s['title']} {s.get('note', '')}: {fill(s.get('name', ''), fields)}"
                    for s in section["signatures"]]  # fmt: skip
    return "\n".join([*out, "", *_footer(template, fields, code)]) + "\n"


def _json(template: Template, fields: Mapping[str, Any], code: str | None) -> str:
    doc = {
        "format": FORM_FORMAT,
        "form": template.form,
        "number_in_set": template.number,
        "title": template.title,
        "source": template.source,
        "set": {"from": template.set_from.isoformat(), "name": template.set_name},
        "page": template.page,
        "confirmed": template.confirmed,
        "verification_code": code,
        "fields": dict(fields),
    }
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


_CSS = """@page{size:%(page)s;margin:8mm 9mm}
*{box-sizing:border-box}
body{font-family:"Times New Roman",Times,serif;font-size:%(font)s;line-height:1.25;color:#000;background:#fff;
margin:0}
main{max-width:%(width)s;margin:0 auto}
.head{display:flex;justify-content:space-between;gap:3mm;text-align:center;font-size:.92em}
.head p{margin:0}.nation{font-weight:bold;white-space:nowrap}
.motto{font-weight:bold;text-decoration:underline}
.date{text-align:right;font-style:italic;margin:1mm 0}
h1{font-size:1.12em;text-align:center;margin:1mm 0}.no{text-align:center;margin:0}
p{margin:.5mm 0}ol{margin:.5mm 0;padding-left:6mm}
table{border-collapse:collapse;width:100%%;margin:.5mm 0;font-size:.92em}
th,td{border:1px solid #000;padding:.4mm 1mm;vertical-align:top;text-align:left}
.sign{display:flex;justify-content:space-around;text-align:center;margin-top:2mm;page-break-inside:avoid}
.sign p{margin:0}.sign .who{margin-top:9mm;font-weight:bold}
.foot{display:flex;gap:2mm;align-items:center;margin-top:2mm;font-size:.8em;border-top:1px solid #000;
padding-top:1mm;page-break-inside:avoid}.foot p{margin:0}.foot svg{flex:none;width:17mm;height:17mm}
.code{font-family:"DejaVu Sans Mono",monospace;font-weight:bold}
"""
_PAGES = {"A5": ("A5", "9.5pt", "130mm"), "A4": ("A4 landscape", "9pt", "279mm")}


def _html(template: Template, fields: Mapping[str, Any], code: str | None) -> str:
    e = html.escape
    page, font, width = _PAGES.get(template.page, _PAGES["A5"])
    number = str(fields.get("number") or fields.get("reference") or BLANK)
    body = [
        f'<div class="head"><div><p>{e(str(fields.get("agency_name", "")).upper())}</p>'
        f"<p>{e(_number_line(template, fields))}</p></div>"
        f'<div><p class="nation">{e(template.nation)}</p>'
        f'<p class="motto">{e(template.motto)}</p></div></div>',
        f'<p class="date">……, {e(str(fields.get("issued_date", "")))}</p>',
        f'<p class="no">Mẫu số {e(template.number)}</p><h1>{e(template.title)}</h1>',
    ]
    for section in template.sections:
        if "text" in section:
            body.append(f"<p>{e(fill(section['text'], fields))}</p>")
        elif "label" in section and "value" in section:
            body.append(f"<p>{e(section['label'])}: <strong>{e(fill(section['value'], fields))}</strong></p>")
        elif "list" in section:
            items = fields.get(section["list"]) or []
            body.append(f"<p>{e(section.get('label', ''))}:{'' if items else ' ' + BLANK}</p>")
            if items:
                body.append("<ol>" + "".join(f"<li>{e(str(i))}</li>" for i in items) + "</ol>")
        elif "table" in section:
            labels, rows = _rows(section, fields)
            head = "".join(f'<th scope="col">{e(label)}</th>' for label in labels)
            cells = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in rows)
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{cells}</tbody></table>")
        elif "signatures" in section:
            signs = "".join(
                f"<div><p><strong>{e(s['title'])}</strong></p><p><em>{e(s.get('note', ''))}</em></p>"
                f'<p class="who">{e(fill(s.get("name", ""), fields))}</p></div>'
                for s in section["signatures"]
            )
            body.append(f'<div class="sign">{signs}</div>')
    svg = qr_svg(number) if number != BLANK else None
    qr = svg if svg is not None else "<p>(Không có mã QR: cài tthc-engine[forms] để in mã QR)</p>"
    if template.form == "06":  # a desk's book, not one dossier's paper: no number to encode
        qr = ""
    foot = "".join(
        f'<p class="code">{e(line)}</p>' if line.startswith("Mã xác thực") else f"<p>{e(line)}</p>"
        for line in _footer(template, fields, code)
    )
    body.append(f'<div class="foot">{qr}<div>{foot}</div></div>')
    css = _CSS % {"page": page, "font": font, "width": width}
    title = f"{template.title} — {number}"
    return (
        '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{e(title)}</title>'
        f"<style>{css}</style></head><body><main>{''.join(body)}</main></body></html>\n"
    )
