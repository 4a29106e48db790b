"""HOW LONG: deadline rules, clocks, timeliness."""
