"""Executing the analysis notebooks with papermill's Python API (one driver process, kernel ``python3``).

``python -m lingshou.notebooks`` (``make notebooks``) re-executes every notebook in place with its default
parameters, so that the stored outputs are the reference nbval compares against.
"""
from __future__ import annotations

import sys
from pathlib import Path

from lingshou.config import NOTEBOOK_DIR

KERNEL = "python3"


def notebook_paths(folder: Path = NOTEBOOK_DIR) -> list[Path]:
    """The analysis notebooks, in run order (``NN-topic.ipynb``)."""
    return sorted(p for p in folder.glob("[0-9][0-9]-*.ipynb"))


def execute(path: Path, output: Path, parameters: dict | None = None, cwd: Path | None = None,
            progress: bool = False, kernel_manager_class=None) -> None:
    """Run one notebook through papermill (kernel ``python3``, working directory ``cwd``, default the
    notebook's folder); raises papermill's error on a failing cell after writing the executed copy with the
    error to ``output``.

    Safe to call from several threads at once: the kernel is started in ``cwd`` (nbclient's resource path)
    instead of papermill's ``cwd=``, which changes the working directory of the whole process.
    ``kernel_manager_class`` (a jupyter_client ``AsyncKernelManager`` subclass) lets the caller track the
    kernels it starts.
    """
    import papermill as pm

    extra = {"kernel_manager_class": kernel_manager_class} if kernel_manager_class is not None else {}
    pm.execute_notebook(str(path), str(output), parameters=parameters or {}, kernel_name=KERNEL,
                        progress_bar=progress, log_output=False,
                        resources={"metadata": {"path": str(cwd or path.parent)}}, **extra)


def strip_run_metadata(path: Path) -> None:
    """Remove timings and timestamps that papermill and the kernel record, so that re-executing a notebook
    whose outputs did not change leaves its file unchanged (reviewable diffs; nbval ignores metadata)."""
    import nbformat

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
