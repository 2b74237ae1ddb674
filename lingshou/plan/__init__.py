"""Stage 2 — the plan as data: a county's targets, their tasks and units, and the grade goals.

``targets`` loads a plan file (``data/raw/plans/<county>_*.yaml``), checks it against the catalogue and
falls back to the default plan for a county without one; ``tasks`` reads the plan's 22 tasks and their
measures (from the text, and from the plan file); ``progress`` holds the reporting periods, the append-only
history of the departments' task returns and the current state derived from it.

May import: ``lingshou.data`` and the foundation modules.
"""
