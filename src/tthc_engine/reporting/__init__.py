"""HOW WELL: projections of stored records — period reports (report.py, render.py), one dossier's
record and control slip (export.py), the due moment in words (explain.py), the one-stop forms
(forms/)."""
