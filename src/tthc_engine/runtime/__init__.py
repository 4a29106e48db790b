"""WHAT HAPPENS: Engine, Dossier, Actor."""
