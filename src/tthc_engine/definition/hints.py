"""Hints for procedure values the schema refused: yes/no, short dates, a lone word for a list.

They serve the schema check (schema_check.py) and are computed only once a value is known to be
wrong, so the clean path pays nothing. Hints about YAML syntax itself (indentation, tabs, a key
that lost its block) belong to the one YAML reader: tthc_engine.diagnostics.yaml_hints.
"""

from __future__ import annotations

import datetime as dt
import re

_YES_NO = {"yes", "no", "y", "n", "on", "off"}
_PLAIN_ITEM = re.compile(r"^[^\s\[\]{},:#&*!|>'\"%@`-][^\[\]{},#:]*$")  # text safe inside [ ]
_YMD = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_HM = re.compile(r"^(\d{1,2})[:hH.](\d{2})?$")
_GROUPED = re.compile(r"^[0-9]{1,3}(?P<sep>[.,\s])[0-9]{3}(?:(?P=sep)[0-9]{3})*$")  # 1.500.000, 75,000


def boolean_hint(value: object) -> str:
    """TT103 for true/false: YAML 1.1's yes/no/on/off are deliberately read as text."""
    if isinstance(value, str) and value.strip().lower() in _YES_NO:
        return "write true or false — yes/no/on/off stay text in tthc YAML"
    return "write true or false"


def list_hint(raw: str) -> str:
    """TT103 for a list: one value written where a list is expected."""
    item = raw if _PLAIN_ITEM.match(raw) else '"' + raw.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"write [{item}]"


def integer_hint(raw: str, value: object, *, money: bool = False) -> str | None:
    """TT103 for a whole number: `75.000` or `1.500.000` written with thousands separators, or a decimal.

    Computed from the value as written, so the hint is the number to type: `75.000` → "write 75000".
    """
    what = "amounts in VND are whole numbers of đồng" if money else "a whole number"
    text = raw.strip().strip("\"'")
    grouped = _GROUPED.match(text)
    if grouped:
        return f"write {text.replace(grouped.group('sep'), '')} ({what}, without thousands separators)"
    if isinstance(value, float) and value.is_integer():
        return f"write {int(value)} ({what}, without a decimal point)"
    if isinstance(value, float):
        return "write a whole number of đồng (no decimals)" if money else "write a whole number (no decimals)"
    return None


def enum_hint(raw: str, options: list[object]) -> str | None:
    """TT104: yes/no (or true/false) where the allowed values are words."""
    word = raw.strip().lower()
    if not all(isinstance(o, str) for o in options) or not (word in _YES_NO or word in ("true", "false")):
        return None
    names = [str(o) for o in options]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    pair = "yes/no" if word in _YES_NO else "true/false"
    return f"{pair} are not values here: use {listed}"


def date_hint(value: str) -> str:
    """TT105 for a date: the same day written "YYYY-MM-DD" when it can be read unambiguously."""
    form = "(YYYY-MM-DD with zero padding, in quotes)"
    text = value.strip()
    ymd, dmy = _YMD.match(text), _DMY.match(text)
    parts = ymd.groups() if ymd else (dmy.group(3), dmy.group(2), dmy.group(1)) if dmy else None
    if parts is not None:
        try:
            day = dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
        except ValueError:  # no such day: suggest nothing rather than a wrong date
            pass
        else:
            order = "; read as day/month/year" if dmy else ""
            return f'write "{day.isoformat()}" {form[:-1]}{order})'
    return f'write the date as "YYYY-MM-DD" {form}, e.g. "2025-07-01"'


def time_hint(value: str) -> str:
    """TT105 for a time of day: "HH:MM" with two-digit hours."""
    match = _HM.match(value.strip())
    if match and int(match.group(1)) < 24 and int(match.group(2) or 0) < 60:
        return f'write "{int(match.group(1)):02d}:{match.group(2) or "00"}" (HH:MM, 24-hour, in quotes)'
    return 'write the time as "HH:MM" (24-hour, in quotes), e.g. "15:00"'
