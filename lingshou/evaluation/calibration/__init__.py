"""Calibrating the evaluation model on its published results (``lingshou calibrate``).

The province publishes each county's grade (and the province's averages) but not the points of the 14
quantitative indicators.  With the model's scoring rule fixed, every published grade is an interval on a
linear function of the points, so the points consistent with the results form a polytope: ``inputs`` reads the
statistics and published results of a data folder (every bad row reported at once), ``problem`` writes them as
a linear programme, ``fit`` solves it (HiGHS: best fit with a slack per result, then the interval of every
unknown), ``sample`` draws uniformly from the consistent set (hit-and-run), ``result`` reads the outcome
(reproduced share, identifiability, verdict), ``output`` writes the calibrated model and ``run`` ties it up.

May import: ``lingshou.data``, ``lingshou.evaluation.model`` and ``.benchmarking.inputs``, and the
foundation modules — not ``analysis``, ``report`` or ``plots``.
"""
