"""Stage 2 — the plan as data: a county's targets, their tasks and units, and the grade goals.

``targets`` loads a plan file (``data/raw/plans/<county>_*.yaml``), checks it against the catalogue and
falls back to the default plan for a county without one.

May import: ``lingshou.data`` and the foundation modules.
"""
