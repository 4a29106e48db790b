"""HOW WELL: period reports."""
