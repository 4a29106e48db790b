"""WHAT IS KEPT: the dossier record that the runtime computes, the stores persist and reports read."""

from tthc_engine.records.dossier import Dossier, RecordUpdate, Step

__all__ = ["Dossier", "RecordUpdate", "Step"]
