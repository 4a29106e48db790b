"""Where the shipped data files (schemas/, calendars/) are, installed or in a source checkout.

A wheel carries them under tthc_engine/_data/ (pyproject force-include); an editable install or a
source checkout reads the top-level folders, which stay the single source of truth.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The folder `name` ("schemas" or "calendars") that ships with the library."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"tthc_engine data folder {name!r} not found next to {_PACKAGE}; reinstall the package"
    )


def schema_path(filename: str) -> Path:
    return data_dir("schemas") / filename
