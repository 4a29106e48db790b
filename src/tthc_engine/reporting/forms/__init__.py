"""The one-stop desk's paperwork rendered from the record (docs/forms.md).

Forms 01–05 of Circular 01/2018/TT-VPCP Art. 9(1) (the set of Circular 03/2025/TT-VPCP and its stop
notice from 01/07/2025) for one dossier, and form 06, a desk's tracking book for a period. Each is a
projection of the dossier record, its audit entries and its procedure (model.py), filled into a
template that is data (templates.py) and rendered as text, JSON or HTML (render.py), with a
verification code of the entry that issued it (codes.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path

from tthc_engine.audit.entry import AuditEntry
from tthc_engine.definition.model import Procedure
from tthc_engine.records import Dossier
from tthc_engine.reporting.forms.book import Record, book_fields
from tthc_engine.reporting.forms.codes import CodeMatch, find_form_code, normalise, verification_code
from tthc_engine.reporting.forms.model import FORM_KINDS, check_kind, form_fields, issue_day, issuing_entry
from tthc_engine.reporting.forms.render import FORM_FORMAT, FORMATS, render
from tthc_engine.reporting.forms.templates import Template, load_template


def render_form(
    dossier: Dossier,
    entries: Sequence[AuditEntry],
    procedure: Procedure,
    form: str,
    *,
    format: str = "html",
    sequence: int | None = None,
    template_dir: str | Path | None = None,
    key: bytes | None = None,
) -> str:
    """Form `form` ("01"–"05", "stop") of one dossier, as issued by its latest issuing entry (or
    entry `sequence`), with the template set in force on the day it was issued."""
    entry = issuing_entry(dossier, entries, procedure, check_kind(form), sequence)
    fields = form_fields(dossier, entries, procedure, form, entry)
    template = load_template(form, issue_day(entry), template_dir)
    code = verification_code(dossier.id, form, entry.hash, key)
    return render(template, fields, code, format)


def tracking_book(
    records: Iterable[Record],
    *,
    agency: str,
    start: dt.date,
    end: dt.date,
    format: str = "html",
    template_dir: str | Path | None = None,
) -> str:
    """Form 06 for the desk `agency` (its receiving-agency code) from `start` to `end`; `records` are
    (dossier, entries, procedure) of the desk's year so that entries are numbered through it."""
    fields = book_fields(records, agency=agency, start=start, end=end)
    return render(load_template("06", end, template_dir), fields, None, format)


__all__ = [
    "FORMATS",
    "FORM_FORMAT",
    "FORM_KINDS",
    "CodeMatch",
    "Template",
    "find_form_code",
    "load_template",
    "normalise",
    "render_form",
    "tracking_book",
    "verification_code",
]
