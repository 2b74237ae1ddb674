"""Stage 0 (before the data) — collecting the figures from the county's departments.

``units`` reads the reporting-unit table (which department reports which indicator); ``template``
writes one protected Excel form per department; ``returns`` reads the returned forms, validates them
with the data stage's rules and writes one statistics file into the data folder when they are clean.

May import: ``lingshou.plan``, ``lingshou.data`` and the foundation modules.
"""
