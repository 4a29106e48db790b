"""WHAT HAPPENS: Engine, Dossier, Actor."""

from tthc_engine.runtime.dossier import SYSTEM, Actor, Dossier, Step

__all__ = ["SYSTEM", "Actor", "Dossier", "Step"]
