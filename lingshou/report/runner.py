"""The machinery of ``lingshou report``: parameters, notebooks and provenance (locks, atomic output,
signals and the run log are in :mod:`lingshou.report.output`).

Kept apart from :mod:`lingshou.report.make` (the orchestration) so that each piece can be tested alone:

- :func:`find_notebooks` / :func:`notebook_parameters` read each notebook's ``parameters`` cell with
  Python's own parser (papermill's inspection skips any line whose comment holds a ``=``);
- :func:`check_run_parameters` rejects unknown names and invalid values before anything runs (papermill
  itself only warns);
- :class:`OutputLock`, :func:`new_workspace`, :func:`publish` and :func:`keep_failed` make the output
  atomic: a run writes into a hidden temporary folder beside the report and swaps it in only on success;
- :func:`interrupts_as_exceptions` turns SIGTERM into an exception so that a killed run cleans up;
- :func:`run_notebook`, :func:`export_and_check`, :func:`glyph_warnings`, :func:`data_files` and
  :func:`package_versions` do the work and collect what ``run.json`` records.
"""
from __future__ import annotations

import ast
import contextlib
import json
import logging
import platform
import threading
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from lingshou.atomic import write_text_atomic
from lingshou.config import DEFAULT_DATA_DIR, DataFolder
from lingshou.data.build import file_hash as file_sha256  # one hashing function for build and report
from lingshou.errors import AnalysisError, LingshouError, NotEnoughData, ParameterError
from lingshou.i18n import bi

#: Parameters every analysis notebook must declare: the report sets them for every notebook.
REQUIRED_PARAMETERS = ("county", "year", "data_dir", "output_dir", "lang")
#: Names the parameters file may not set (they are command options).
RESERVED_PARAMETERS = frozenset(REQUIRED_PARAMETERS)
NOTEBOOK_GLOB = "[0-9][0-9]-*.ipynb"
#: Suffix of the folder that keeps a failed run's executed notebooks and log.
FAILED_SUFFIX = ".failed"
LOG_NAME = "run.log"
#: Packages whose versions go into run.json.
PACKAGES = ("lingshou", "pandas", "numpy", "matplotlib", "pandera", "pyyaml", "openpyxl", "papermill",
            "nbclient", "nbconvert", "nbformat", "ipykernel", "jupyter_client", "typst", "noto-cjk",
            "noto-cjk-sans-otc", "tqdm")


# ------------------------------------------------------------------------------------------ notebooks
@dataclass(frozen=True)
class NotebookSpec:
    """One analysis notebook.

    Attributes
    ----------
    path : Path
    name : str
        File stem, e.g. ``"10-gap-analysis"`` (also the name of its summary file).
    parameters : dict
        Names of its ``parameters`` cell and their default values (``None`` when not a literal).
    after : tuple of str or None
        Notebooks that must finish before this one starts (notebook metadata ``lingshou.after``, e.g.
        ``["05-peer-benchmarking"]`` for the gap analysis, which reads its table).  ``None`` when the
        notebook does not say: it then runs after every notebook before it, as in a plain sequential run.
    title : dict or None
        ``{"zh", "en"}`` (metadata ``lingshou.title``): the section's title when the notebook's data are not
        enough and the report says so in its place (:func:`run_notebook`).
    """

    path: Path
    name: str
    parameters: dict = field(default_factory=dict)
    after: tuple[str, ...] | None = None
    title: dict | None = None


def notebook_parameters(path: str | Path) -> dict:
    """Names and literal defaults of a notebook's ``parameters`` cell (Python's parser, not regexes).

    Raises
    ------
    ParameterError
        If the notebook cannot be read or its parameters cell is not valid Python.
    """
    path = Path(path)
    return _parameters_of(_read_notebook(path), path)


def _read_notebook(path: Path):
    from lingshou.report.notebooks import import_nbformat

    nbformat = import_nbformat()
    try:
        return nbformat.read(path, as_version=4)
    except Exception as exc:  # any unreadable notebook must stop the run before it starts
        raise ParameterError(bi(f"无法读取笔记本 {path.name}：{exc}", f"cannot read notebook {path.name}: {exc}")) from exc


def _parameters_of(nb, path: Path) -> dict:
    cells = [c for c in nb.cells if c.cell_type == "code" and "parameters" in c.get("metadata", {}).get("tags", [])]
    if not cells:
        return {}
    try:
        tree = ast.parse(cells[0].source)
    except SyntaxError as exc:
        raise ParameterError(bi(f"笔记本 {path.name} 的 parameters 单元不是有效的 Python：{exc.msg}（第 {exc.lineno} 行）",
                                f"the parameters cell of notebook {path.name} is not valid Python: {exc.msg} "
                                f"(line {exc.lineno})")) from exc
    out = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        try:
            default = ast.literal_eval(value)
        except ValueError:
            default = None
        for t in targets:
            if isinstance(t, ast.Name):
                out[t.id] = default
    return out


def find_notebooks(folder: str | Path) -> list[NotebookSpec]:
    """The analysis notebooks ``NN-topic.ipynb`` of a folder, in run order, with their parameters.

    Raises
    ------
    ParameterError
        If the folder does not exist or holds no analysis notebook.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ParameterError(bi(f"笔记本文件夹不存在：{folder}", f"notebook folder does not exist: {folder}"))
    paths = sorted(folder.glob(NOTEBOOK_GLOB))
    if not paths:
        raise ParameterError(bi(f"笔记本文件夹 {folder} 中没有分析笔记本（NN-主题.ipynb）",
                                f"notebook folder {folder} holds no analysis notebook (NN-topic.ipynb)"))
    specs = []
    for p in paths:
        nb = _read_notebook(p)
        specs.append(NotebookSpec(path=p, name=p.stem, parameters=_parameters_of(nb, p),
                                  after=_after_of(nb, p, [s.name for s in specs]),
                                  title=nb.metadata.get("lingshou", {}).get("title")))
    return specs


def _after_of(nb, path: Path, earlier: list[str]) -> tuple[str, ...] | None:
    """The notebook's ``lingshou.after`` metadata: names of notebooks that come before it in run order."""
    after = nb.metadata.get("lingshou", {}).get("after")
    if after is None:
        return None
    if not isinstance(after, list) or not all(isinstance(a, str) for a in after):
        raise ParameterError(bi(f"笔记本 {path.name} 的元数据 lingshou.after 应为笔记本名的列表，实际为 {after!r}",
                                f"the metadata lingshou.after of notebook {path.name} must be a list of notebook "
                                f"names, got {after!r}"))
    unknown = [a for a in after if a not in earlier]
    if unknown:
        raise ParameterError(bi(f"笔记本 {path.name} 的元数据 lingshou.after 列出 {unknown}，它们不是排在它前面的笔记本"
                                f"（可选：{earlier}）",
                                f"the metadata lingshou.after of notebook {path.name} lists {unknown}, which are not "
                                f"notebooks that run before it (choices: {earlier})"))
    return tuple(after)


def load_params_file(path: str | Path | None) -> dict:
    """Read a parameters file (YAML or JSON mapping of name → value); ``None`` gives ``{}``.

    Raises
    ------
    ParameterError
        If the file is missing, unreadable or not a mapping with text keys.
    """
    if path is None:
        return {}
    from lingshou.yamlfile import read_yaml

    path = Path(path)
    data = read_yaml(path, "参数文件", "parameters file")  # JSON is YAML too
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise ParameterError(bi(f"参数文件 {path.name} 应为“名称: 值”的键值表", f"parameters file {path.name} must be a mapping of name: value"))
    return data


def check_run_parameters(notebooks: list[NotebookSpec], extra: dict) -> dict:
    """Check the notebooks' parameter cells and the user's extra parameters before anything runs.

    Parameters
    ----------
    notebooks : list of NotebookSpec
    extra : dict
        Parameters from the parameters file (everything but the command options).

    Returns
    -------
    dict
        ``extra`` with its values checked by :func:`lingshou.data.params.check_values`.

    Raises
    ------
    ParameterError
        A notebook lacking a required parameter or declaring one without a checking rule; a reserved
        name in the parameters file; a name no notebook declares; an invalid value.
    """
    from lingshou.data.params import RULES, check_values

    declared: set[str] = set()
    for nb in notebooks:
        missing = [p for p in REQUIRED_PARAMETERS if p not in nb.parameters]
        if missing:
            raise ParameterError(bi(f"笔记本 {nb.path.name} 的 parameters 单元缺少 {missing}（每个分析笔记本都须声明 "
                                    f"{list(REQUIRED_PARAMETERS)}）",
                                    f"the parameters cell of notebook {nb.path.name} lacks {missing} (every analysis "
                                    f"notebook must declare {list(REQUIRED_PARAMETERS)})"))
        norule = sorted(set(nb.parameters) - set(RULES))
        if norule:
            raise ParameterError(bi(f"笔记本 {nb.path.name} 声明的参数 {norule} 在 lingshou.data.params.RULES 中没有检查规则",
                                    f"notebook {nb.path.name} declares parameter(s) {norule} with no checking rule in "
                                    "lingshou.data.params.RULES"))
        declared |= set(nb.parameters)
    reserved = sorted(set(extra) & RESERVED_PARAMETERS)
    if reserved:
        raise ParameterError(bi(f"参数文件不能设置 {reserved}：请用命令选项 --county、--year、--data、--out、--lang",
                                f"the parameters file cannot set {reserved}: use the options --county, --year, --data, "
                                "--out, --lang"))
    accepted = sorted(declared - RESERVED_PARAMETERS)
    unknown = sorted(set(extra) - declared)
    if unknown:
        raise ParameterError(bi(f"未知参数 {unknown}：没有任何笔记本使用它们（可用：{accepted}）",
                                f"unknown parameter(s) {unknown}: no notebook takes them (accepted: {accepted})"))
    return check_values(extra)


def notebook_arguments(nb: NotebookSpec, base: dict, extra: dict) -> dict:
    """The parameters passed to one notebook: those of ``base`` and ``extra`` that it declares."""
    merged = {**base, **extra}
    return {k: v for k, v in merged.items() if k in nb.parameters}


class NotebookFailed(AnalysisError):
    """An analysis notebook raised; ``notebook`` and ``cell`` say where."""

    def __init__(self, message: str, notebook: str, cell: int | None, detail: str = ""):
        super().__init__(message)
        self.notebook = notebook
        self.cell = cell
        self.detail = detail


def _failure_message(nb: NotebookSpec, exc) -> NotebookFailed:
    count = getattr(exc, "exec_count", None)
    source = (getattr(exc, "source", "") or "").strip().splitlines()
    first = source[0][:100] if source else ""
    what = f"{getattr(exc, 'ename', type(exc).__name__)}: {getattr(exc, 'evalue', exc)}"
    where_zh = f"在单元 In [{count}]" if count is not None else "执行时"
    where_en = f"in cell In [{count}]" if count is not None else "while running"
    code = f"（{first}）" if first else ""
    code_en = f" ({first})" if first else ""
    return NotebookFailed(bi(f"笔记本 {nb.path.name} {where_zh}{code}出错：{what}",
                             f"notebook {nb.path.name} failed {where_en}{code_en}: {what}"), nb.name, count,
                          detail=str(exc))


#: Tries to start a notebook's kernel (a kernel can die at start-up when many start at once).
KERNEL_START_ATTEMPTS = 3


_quiet_lock = threading.Lock()
_quiet_depth = 0
_quiet_level = logging.NOTSET


@contextlib.contextmanager
def quiet_papermill():
    """Inside the block papermill logs errors only (thread-safe: the level is restored when the last of
    several overlapping blocks ends).  The parameter names were checked against each notebook already;
    papermill's own warnings would only repeat them, and its line-based inspection misreads comments
    holding ``=``."""
    global _quiet_depth, _quiet_level
    logger = logging.getLogger("papermill")
    with _quiet_lock:
        if _quiet_depth == 0:
            _quiet_level = logger.level
            logger.setLevel(logging.ERROR)
        _quiet_depth += 1
    try:
        yield
    finally:
        with _quiet_lock:
            _quiet_depth -= 1
            if _quiet_depth == 0:
                logger.setLevel(_quiet_level)


def run_notebook(nb: NotebookSpec, output: Path, parameters: dict, kernel_manager_class=None, kernels=None,
                 timeout: int | None = None) -> float:
    """Execute one notebook with papermill (kernel ``python3``, working directory = its folder).

    The executed copy is written to ``output`` whether or not a cell fails.  Returns the seconds taken.
    Safe to call from several threads at once (see :func:`lingshou.report.notebooks.execute`).  With
    ``kernels`` (a :class:`~lingshou.report.kernels.KernelPool`) the notebook runs in one of its warm
    kernels, in a fresh namespace, instead of a kernel of its own.  ``timeout``: seconds a cell may run (a
    pool's kernels have their own).

    Raises
    ------
    NotebookFailed
        Naming the notebook, the cell (its ``In [n]`` number and first line) and the error.
    KernelLost
        A warm kernel died or hung (it has been killed; the pool starts another at the next notebook).
    """
    from nbclient.exceptions import CellTimeoutError
    from papermill.exceptions import PapermillExecutionError

    from lingshou.report.notebooks import execute

    output.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    try:
        with quiet_papermill():
            if kernels is not None:
                kernels.run(nb.path, output, parameters, cwd=nb.path.parent)
                return time.perf_counter() - start
            for attempt in range(KERNEL_START_ATTEMPTS):
                try:
                    execute(nb.path, output, parameters=parameters, cwd=nb.path.parent, progress=False,
                            kernel_manager_class=kernel_manager_class, save_every_cell=False, timeout=timeout)
                    break
                except RuntimeError as exc:
                    # A kernel that dies before it answers (seen once in 167 parallel reports) ran no cell:
                    # starting it again is safe.  Failures inside cells are PapermillExecutionError.
                    if "before replying to kernel_info" not in str(exc) or attempt + 1 == KERNEL_START_ATTEMPTS:
                        raise
    except PapermillExecutionError as exc:
        if exc.ename == NotEnoughData.__name__:
            not_enough_data(nb, output, parameters, str(exc.evalue))
            return time.perf_counter() - start
        raise _failure_message(nb, exc) from None
    except CellTimeoutError:
        raise NotebookFailed(bi(f"笔记本 {nb.path.name} 有单元运行超过 {timeout} 秒，已停止",
                                f"a cell of notebook {nb.path.name} ran for more than {timeout} s and was stopped"),
                             nb.name, None) from None
    except (KeyboardInterrupt, LingshouError):
        raise
    except Exception as exc:  # a kernel that dies or cannot start is an analysis failure too
        raise _failure_message(nb, exc) from exc
    return time.perf_counter() - start


def not_enough_data(nb: NotebookSpec, output: Path, parameters: dict, message: str) -> Path:
    """The summary of a notebook whose data were not enough (it raised :class:`~lingshou.errors.NotEnoughData`):
    its section says so, with the reason, and the report goes on with the other analyses.

    ``output`` is the executed copy (``<report>/notebooks/<name>.ipynb``), so the summary goes to
    ``<report>/summaries/<name>.json``.  Returns that path.
    """
    from lingshou.report.summary import write_summary

    zh, _, en = message.partition(" / ")
    en = en or zh
    title = nb.title if isinstance(nb.title, dict) and {"zh", "en"} <= set(nb.title) else {"zh": nb.name, "en": nb.name}
    return write_summary(
        output.parent.parent, nb.name, county=str(parameters.get("county", "")), year=parameters.get("year"),
        title=title,
        # the headline (on the summary page) gives the reason's first clause, the paragraph all of it
        headline={"zh": f"数据不足，本节未做分析：{zh.split('：', 1)[0]}。",
                  "en": f"Not enough data, so this analysis was not made: {en.split(': ', 1)[0]}."},
        paragraphs={"zh": [f"本节的分析需要的数据还不全：{zh}。报告的其他各节照常计算；数据补齐后重新生成报告即可。"],
                    "en": [f"The data this analysis needs are not complete: {en}. The report's other sections are "
                           "computed as usual; produce the report again once the data are in."]},
        notes={"zh": [], "en": []}, statuses=(), numbers={"not_enough_data": True, "reason": message})


def glyph_warnings(path: Path) -> list[str]:
    """Lines of an executed notebook's outputs that report a glyph missing from the font."""
    return _glyph_lines(_read_executed(path))


def _read_executed(path: Path):
    from lingshou.report.notebooks import import_nbformat

    return import_nbformat().read(path, as_version=4)


def _glyph_lines(nb) -> list[str]:
    found = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            text = out.get("text", "")
            if isinstance(text, list):
                text = "".join(text)
            found += [line.strip() for line in str(text).splitlines() if "missing from font" in line]
    return found


_exporter = None
_exporter_lock = threading.Lock()


def export_and_check(path: Path, folder: Path) -> list[str]:
    """Write an executed notebook to ``folder`` as HTML without code (for readers who want the working) and
    return its :func:`glyph_warnings` (the notebook is read once for both).

    Safe to call from several threads: one exporter per process
    (:func:`lingshou.report.notebook_html.code_free_exporter`; building one compiles its templates, about
    0.1 s), used by one thread at a time."""
    global _exporter
    nb = _read_executed(path)
    with _exporter_lock:
        if _exporter is None:
            from lingshou.report.notebook_html import code_free_exporter

            _exporter = code_free_exporter()
        body, _ = _exporter.from_notebook_node(nb)
    (folder / (path.stem + ".html")).write_text(body, encoding="utf-8")
    return _glyph_lines(nb)


# ------------------------------------------------------------------------------------------ provenance


def data_files(folder: DataFolder) -> list[dict]:
    """Every raw data file a run reads, with its SHA-256: the statistics of the data folder, and each
    reference table (catalogue, aliases, plans, models, evaluation, anchors …) from the data folder or,
    when it lacks one, from the bundled data.  Data cards are included (they set status and source)."""
    entries = {}
    if folder.statistics.is_dir():
        for f in sorted(folder.statistics.rglob("*")):
            if f.is_file() and not f.name.startswith((".", "~$")):
                entries[f.relative_to(folder.raw).as_posix()] = f
    bundled = DEFAULT_DATA_DIR / "raw"
    for root in {folder.raw, bundled}:
        if not root.is_dir():
            continue
        for f in sorted(root.rglob("*")):
            rel = f.relative_to(root).as_posix()
            if (not f.is_file() or f.name.startswith((".", "~$")) or rel.startswith("statistics/")
                    or f.name.lower() == "readme.md" or rel in entries):
                continue
            entries[rel] = folder.reference(rel)
    out = []
    for rel, path in sorted(entries.items()):
        origin = "data" if path.resolve().is_relative_to(folder.raw.resolve()) else "bundled"
        out.append({"path": rel, "origin": origin, "sha256": file_sha256(path)})
    return out


def package_versions() -> dict:
    """Python, platform and the versions of the packages that shape the report."""
    out = {"python": platform.python_version(), "platform": platform.platform(terse=True)}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def write_json(path: Path, data: dict) -> Path:
    """Write JSON (UTF-8, readable Chinese) through a temporary file so a reader never sees half of it."""
    return write_text_atomic(path, json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
