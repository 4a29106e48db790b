"""WHEN people work: the Vietnamese working calendar and overlays."""
