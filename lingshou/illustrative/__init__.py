"""Illustrative (synthetic) statistics, generated reproducibly from written assumptions.

``generate`` makes the bundled illustrative series (``tools/make_illustrative.py``) and the synthetic
province used by the benchmarks; every value it writes is marked ``status = illustrative``.  It calibrates
the series against the evaluation model, so it sits after ``evaluation`` in the flow.

May import: ``lingshou.evaluation``, ``lingshou.data`` and the foundation modules.
"""
