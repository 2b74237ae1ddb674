"""Executing the analysis notebooks with papermill's Python API (one driver process, kernel ``python3``).

``python -m lingshou.report.notebooks`` (``make notebooks``) re-executes every notebook in place with its default
parameters, so that the stored outputs are the reference nbval compares against.
"""
from __future__ import annotations

import importlib
import math
import sys
from pathlib import Path

from lingshou.config import NOTEBOOK_DIR

KERNEL = "python3"


def import_nbformat():
    """nbformat, imported without jsonschema's optional checker of the ``iri`` and ``iri-reference`` formats.

    jsonschema imports ``rfc3987_syntax`` when it is installed (JupyterLab's jupyter-events brings it), and
    that module compiles a Lark grammar at import: 1.0 s of the 1.1 s that ``import nbformat`` took here,
    paid by every report, every batch worker and the benchmark floor.  No notebook schema uses those
    formats; only this process's jsonschema goes without them (``rfc3987_syntax`` itself stays importable).
    When jsonschema is loaded already, nothing changes.
    """
    if {"nbformat", "jsonschema", "rfc3987_syntax"} & set(sys.modules):
        return importlib.import_module("nbformat")
    sys.modules["rfc3987_syntax"] = None  # its import raises ImportError, which jsonschema tolerates
    try:
        return importlib.import_module("nbformat")
    finally:
        del sys.modules["rfc3987_syntax"]


def notebook_paths(folder: Path = NOTEBOOK_DIR) -> list[Path]:
    """The analysis notebooks, in run order (``NN-topic.ipynb``)."""
    return sorted(p for p in folder.glob("[0-9][0-9]-*.ipynb"))


def execute(path: Path, output: Path, parameters: dict | None = None, cwd: Path | None = None,
            progress: bool = False, kernel_manager_class=None, save_every_cell: bool = True, km=None,
            timeout: int | None = None) -> None:
    """Run one notebook through papermill (kernel ``python3``, working directory ``cwd``, default the
    notebook's folder); raises papermill's error on a failing cell after writing the executed copy with the
    error to ``output``.

    Safe to call from several threads at once: the kernel is started in ``cwd`` (nbclient's resource path)
    instead of papermill's ``cwd=``, which changes the working directory of the whole process.
    ``kernel_manager_class`` (a jupyter_client ``AsyncKernelManager`` subclass) lets the caller track the
    kernels it starts.  ``save_every_cell=False`` writes ``output`` only at the end or at a failing cell,
    not twice per cell (papermill validates and serialises the whole notebook, figures included, at each
    save); a kernel that dies then leaves no copy.  ``km``, a started kernel's manager, runs the notebook
    in that kernel and leaves it running (:mod:`lingshou.report.kernels`); ``timeout`` (seconds) fails a
    cell that runs longer (nbclient's ``CellTimeoutError``).
    """
    import_nbformat()
    import papermill as pm

    extra = {"kernel_manager_class": kernel_manager_class} if kernel_manager_class is not None else {}
    if km is not None:
        extra["km"] = km
    if timeout is not None:
        extra["execution_timeout"] = math.ceil(timeout)  # nbclient takes whole seconds only
    # shutdown_kernel="immediate": once the last cell has answered, the kernel is killed instead of asked to
    # exit.  The graceful way (interrupt, shutdown request, wait) stalled for 3 s in 2 of 12 runs of an
    # empty notebook here; killed, every run took 0.6-0.8 s.  Nothing of a finished notebook is lost: its
    # outputs have arrived and the files it wrote are closed.
    pm.execute_notebook(str(path), str(output), parameters=parameters or {}, kernel_name=KERNEL,
                        progress_bar=progress, log_output=False, request_save_on_cell_execute=save_every_cell,
                        resources={"metadata": {"path": str(cwd or path.parent)}}, shutdown_kernel="immediate",
                        **extra)


def strip_run_metadata(path: Path) -> None:
    """Remove timings and timestamps that papermill and the kernel record, so that re-executing a notebook
    whose outputs did not change leaves its file unchanged (reviewable diffs; nbval ignores metadata)."""
    nbformat = import_nbformat()
    nb = nbformat.read(path, as_version=4)
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)


def refresh_all(paths: list[Path] | None = None) -> None:
    """Re-execute notebooks in place with their defaults (their outputs become the nbval reference)."""
    for p in paths or notebook_paths():
        print(f"执行 executing {p.name} …", flush=True)
        execute(p, p)
        strip_run_metadata(p)


if __name__ == "__main__":  # pragma: no cover
    refresh_all([Path(a) for a in sys.argv[1:]] or None)
