"""Stage 0 (before the data) — collecting the figures from the county's departments.

``units`` reads the reporting-unit table (which department reports which indicator); ``template``
writes one protected Excel form per department; ``returns`` reads the returned forms, validates them
with the data stage's rules and writes one statistics file into the data folder when they are clean;
``task_form`` adds the 任务进展 sheet to each form and ``task_returns`` reads it back, checks every cell and
appends the clean returns to the county's progress history.

May import: ``lingshou.plan``, ``lingshou.data`` and the foundation modules.
"""
