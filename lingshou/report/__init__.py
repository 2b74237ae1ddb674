"""Stage 4 — the yearly report: run the notebooks, compose the PDF and the supervision workbook.

``make`` is the entry point (``make_report``: check, validate, run, compose, publish), ``runner`` the
parts of one run (parameters, notebook execution, locks, atomic publishing, the run log), ``parallel``
runs independent notebooks in parallel kernels, ``batch`` reports on many counties on the warm kernels of
``kernels`` (started once, a fresh namespace per notebook), ``notebooks``
executes a notebook through papermill (and re-executes the stored ones), ``summary`` is the contract
between a notebook and the report, ``tables`` / ``workbook`` / ``pdf`` / ``typeset`` compose the outputs
(``templates/`` holds the Typst template).

May import: every earlier stage (``data``, ``plan``, ``analysis``, ``evaluation``) and the foundation.
"""
