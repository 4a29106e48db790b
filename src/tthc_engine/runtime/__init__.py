"""WHAT HAPPENS: Engine, Dossier, Actor, events, the sweep, the outbox relay."""

from tthc_engine.records import Dossier, Step
from tthc_engine.runtime.actor import SYSTEM, Actor
from tthc_engine.runtime.compiled import EnginePolicy, InputLimits
from tthc_engine.runtime.engine import Engine
from tthc_engine.runtime.events import Event
from tthc_engine.runtime.numbering import NationalNumbering, Numbering
from tthc_engine.runtime.relay import RelayReport
from tthc_engine.runtime.sweep import SweepReport
from tthc_engine.runtime.worklist import WorkItem, Worklist

__all__ = [
    "SYSTEM",
    "Actor",
    "Dossier",
    "Engine",
    "EnginePolicy",
    "Event",
    "InputLimits",
    "NationalNumbering",
    "Numbering",
    "RelayReport",
    "Step",
    "SweepReport",
    "WorkItem",
    "Worklist",
]
