"""Stage 3a — the analyses of one county: pure functions on the tidy table and the plan.

``overview`` (coverage of the data), ``gap`` (every plan target: met / close / behind, by department),
``fiscal`` (fiscal S&T spending and its share of the budget), ``projection`` (enterprise R&D against the
15 % path and the 1 % intensity target, with a seeded fan), ``tasks`` (the progress of the plan's tasks as the
departments returned it: overdue measures, roll-ups by task and department).  Each takes DataFrames and returns tables and
numbers; each has a ``describe_*`` that reads its numbers in Chinese and English.

May import: ``lingshou.plan``, ``lingshou.data`` and the foundation modules — not ``evaluation``,
``report`` or ``plots``.
"""
