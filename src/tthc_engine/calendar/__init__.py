"""WHEN people work: the Vietnamese working calendar and overlays (docs/calendar.md)."""

from tthc_engine.calendar.hours import DEFAULT_OFFICE_HOURS, OfficeHours, Session
from tthc_engine.calendar.model import DayInfo, DayKind, Overlay, Provenance
from tthc_engine.calendar.overlay import OVERLAY_FORMAT_KEY, load_overlay, overlay_problems
from tthc_engine.calendar.workcalendar import WorkCalendar
from tthc_engine.timeutil import FIRST_YEAR, LAST_YEAR

__all__ = [
    "DEFAULT_OFFICE_HOURS",
    "FIRST_YEAR",
    "LAST_YEAR",
    "OVERLAY_FORMAT_KEY",
    "DayInfo",
    "DayKind",
    "OfficeHours",
    "Overlay",
    "Provenance",
    "Session",
    "WorkCalendar",
    "load_overlay",
    "overlay_problems",
]
