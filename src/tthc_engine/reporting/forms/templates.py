"""Form templates are data: JSON files in set folders named by the date the set applies from.

`templates/2019-01-06/` is the set of Circular 01/2018/TT-VPCP (Art. 9(1), in force 06/01/2019) and
`templates/2025-07-01/` the set of Circular 03/2025/TT-VPCP (from 01/07/2025). A form is rendered
with the newest set whose date is on or before the day it was issued (the day of the audit entry
that issued it, in Vietnam), so a slip printed again in 2026 for a 2024 receipt still looks like the
slip handed over in 2024. A host overrides a template, or adds a set, with `template_dir`: a folder of
the same layout whose files replace the shipped ones of the same name (docs/forms.md).

The wording was rebuilt from provincial implementations, not from the annexes: each template says
`"confirmed": false` until someone checks it against the annex.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from tthc_engine.errors import ConfigurationError

SHIPPED = Path(__file__).resolve().parent / "templates"
TEMPLATE_FORMAT = "tthc-form-template/1"


@attrs.frozen
class Template:
    """One form's template in one set: the set's legal header and the form's sections."""

    set_from: dt.date
    set_name: str
    set_source: str
    nation: str
    motto: str
    form: str
    number: str  # the form's number in its set (the control slip is 05 in 2018, 06 in 2025)
    title: str
    source: str
    page: str  # "A5" | "A4" (Circular 01/2018/TT-VPCP Art. 9(2))
    confirmed: bool
    sections: tuple[Mapping[str, Any], ...]
    origin: str  # the file it was read from (shipped or the host's)


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigurationError(f"{path}: cannot read the form template: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigurationError(f"{path}: a form template is a JSON object")
    return data


def _sets(template_dir: Path | None) -> dict[dt.date, list[Path]]:
    """Set date → the folders to look in, the host's first."""
    found: dict[dt.date, list[Path]] = {}
    roots = ([template_dir] if template_dir is not None else []) + [SHIPPED]
    for root in roots:
        if not root.is_dir():
            raise ConfigurationError(f"template folder {str(root)!r} not found (template_dir)")
        for folder in sorted(root.iterdir()):
            try:
                day = dt.date.fromisoformat(folder.name)
            except ValueError:
                continue
            found.setdefault(day, []).append(folder)
    return found


def set_for(day: dt.date, template_dir: Path | None = None) -> dt.date:
    """The date of the template set that applies to a form issued on `day` (the oldest set before
    its date: forms issued before the 2018 set are printed with it)."""
    dates = sorted(_sets(template_dir))
    return max((d for d in dates if d <= day), default=dates[0])


def load_template(form: str, day: dt.date, template_dir: str | Path | None = None) -> Template:
    """The template of `form` for a form issued on `day`, the host's file winning over the shipped."""
    root = None if template_dir is None else Path(template_dir)
    sets = _sets(root)
    chosen = set_for(day, root)
    folders = sets[chosen]
    header = next((f / "set.json" for f in folders if (f / "set.json").is_file()), None)
    path = next((f / f"{form}.json" for f in folders if (f / f"{form}.json").is_file()), None)
    if header is None or path is None:
        what = "set.json" if header is None else f"{form}.json"
        raise ConfigurationError(
            f"the form set applying from {chosen.isoformat()} has no {what}"
            + (" (the stop notice exists from 01/07/2025, Circular 03/2025/TT-VPCP)" * (form == "stop"))
        )
    head, body = _read(header), _read(path)
    if body.get("format") != TEMPLATE_FORMAT or body.get("form") != form:
        raise ConfigurationError(f"{path}: expected format {TEMPLATE_FORMAT!r} and form {form!r}")
    try:
        return Template(
            set_from=chosen, set_name=str(head["name"]), set_source=str(head["source"]),
            nation=str(head["nation"]), motto=str(head["motto"]), form=form, number=str(body["number"]),
            title=str(body["title"]), source=str(body["source"]), page=str(body.get("page", "A5")),
            confirmed=bool(body.get("confirmed", False)), sections=tuple(body["sections"]), origin=str(path),
        )  # fmt: skip
    except KeyError as exc:
        raise ConfigurationError(f"{path} or its set.json: missing key {exc}") from exc
