"""Stage 3b — the provincial evaluation: scores, grades and ranks of a county among its peers.

``composite`` is the general composite-indicator engine (normalise, treat outliers, weight, aggregate;
OECD/JRC Handbook), ``composite_uncertainty`` its Monte Carlo over any spec's weights; ``model`` is the
suite's model of Hebei's county S&T evaluation (points per indicator, qualitative points, grades); ``rules``
its scoring rules as normalisations of the composite engine, and the model as a composite spec; ``peers``
places a county among its peers and finds what it takes to reach the next grade (a ``grade_plan.GradePlan``:
the rows and what they achieve);
``uncertainty`` is the vectorised Monte Carlo over the model's assumptions; ``results`` assembles the tables
the benchmarking notebook writes; ``text`` reads them.

May import: ``lingshou.data`` and the foundation modules — not ``analysis``, ``report`` or ``plots``.
"""
