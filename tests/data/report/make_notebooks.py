"""Write the fixture notebooks of tests/test_report*.py (run: python tests/data/report/make_notebooks.py).

- ok/00-fake-gap.ipynb      copies gap_analysis.csv and gap_by_unit.csv into tables/, draws one figure and
                            writes its summary (a stand-in for the gap analysis notebook);
- fail/00-fails.ipynb       raises in its third code cell;
- slow/00-slow.ipynb        marks that it started, then sleeps (killed by the SIGTERM test);
- picky/00-picky.ipynb      fails for 平山县 only, else writes a minimal summary (for the batch test);
- silent/00-silent.ipynb    runs but writes no summary;
- noparams/00-noparams.ipynb  lacks output_dir in its parameters cell;
- norule/00-norule.ipynb    declares a parameter without a checking rule;
- parallel/ and sleepers/    notebooks that run at the same time (failure and interruption with two kernels);
- dies/00-dies.ipynb        its kernel kills itself;
- warm/00-leak.ipynb        fails if an earlier notebook's name, figure, setting or folder is still there, then
                            leaves some behind (run twice in one warm kernel: nothing may pass between runs);
- warm/05-pid.ipynb         writes its kernel's pid and summary (several notebooks share one warm kernel);
- lost/00-lost.ipynb        its kernel kills itself for 平山县 (always) and for 灵寿县 on its first run only (a marker
                            file in the data folder), or hangs for 平山县 when the data folder holds "hang".
"""
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent

PARAMS = '''county = "灵寿县"      # 县名 / county
year = "latest"        # 数据年份 / data year
data_dir = None        # 数据文件夹（None = 内置数据）/ data folder (None = bundled data)
output_dir = None      # 输出文件夹 / output folder
lang = "zh"            # 语言 / language'''


def make(path: Path, cells) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for i, (kind, src, *tags) in enumerate(cells):
        cell = nbformat.v4.new_markdown_cell(src) if kind == "md" else nbformat.v4.new_code_cell(src)
        if tags:
            cell.metadata["tags"] = tags[0]
        cell["id"] = f"cell-{i:02d}"
        nb.cells.append(cell)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


make(HERE / "ok" / "00-fake-gap.ipynb", [
    ("md", "# 假的差距分析 Fake gap analysis (test fixture)"),
    ("code", "import shutil\nfrom pathlib import Path\n\nfrom lingshou.plots import mark_status, new_axes, save_figure\n"
             "from lingshou.report.summary import bilingual, write_summary"),
    ("code", PARAMS + "\nclose_pct = 10.0       # 接近阈值（%）/ close threshold (%)", ["parameters"]),
    ("code", 'out = Path(output_dir)\n(out / "tables").mkdir(parents=True, exist_ok=True)\n'
             'for name in ("gap_analysis.csv", "gap_by_unit.csv"):\n'
             '    copied = shutil.copy(Path("..") / name, out / "tables" / name)'),
    ("code", 'fig, ax = new_axes(figsize=(6, 3))\nbars = ax.bar(["达标", "接近", "落后"], [1, 1, 2])\n'
             'marked = mark_status(fig, {"illustrative"}, lang)\n'
             'figure_path = save_figure(fig, out / "figures" / "fake_status.png")'),
    ("code", 'summary_path = write_summary(\n'
             '    out, "00-fake-gap", county=county, year=year,\n'
             '    title=bilingual("假的差距分析", "Fake gap analysis"),\n'
             '    headline=bilingual(f"{county}{year} 年有 2 项指标落后，完成率最低为 75.0%。",\n'
             '                       f"{county} has 2 targets behind in {year}; the lowest achievement is 75.0%."),\n'
             '    paragraphs={"zh": ["地方财政科技支出 1320.0 万元，目标 1500.0 万元。"],\n'
             '                "en": ["Fiscal S&T expenditure is 1320.0 万元 against a target of 1500.0 万元."]},\n'
             '    figures=[{"file": "figures/fake_status.png", "caption": bilingual("各状态指标数", "Targets by status")}],\n'
             '    tables=[{"file": "tables/gap_analysis.csv", "caption": bilingual("差距表", "Gap table"),\n'
             '             "columns": ["name_zh", "actual", "target", "achievement_pct", "status"],\n'
             '             "labels": {"zh": ["指标", "现值", "目标", "完成率(%)", "状态"],\n'
             '                        "en": ["Indicator", "Actual", "Target", "Achievement (%)", "Status"]}, "max_rows": 4}],\n'
             '    statuses={"illustrative"}, notes={"zh": ["接近：距目标 10% 以内。"], "en": ["Close: within 10 % of the target."]},\n'
             '    numbers={"n_behind": 2, "lowest_achievement_pct": 75.0})'),
])

make(HERE / "fail" / "00-fails.ipynb", [
    ("md", "# 会失败的笔记本 A failing notebook (test fixture)"),
    ("code", PARAMS, ["parameters"]),
    ("code", "x = 1"),
    ("code", 'raise ValueError("故意的错误 deliberate failure")'),
])

make(HERE / "slow" / "00-slow.ipynb", [
    ("code", "import time\nfrom pathlib import Path"),
    ("code", PARAMS, ["parameters"]),
    ("code", 'Path(output_dir, "started").write_text("started")\ntime.sleep(300)'),
])

make(HERE / "picky" / "00-picky.ipynb", [
    ("code", "from lingshou.report.summary import bilingual, write_summary"),
    ("code", PARAMS, ["parameters"]),
    ("code", 'if county == "平山县":\n    raise RuntimeError("平山县 fails on purpose")'),
    ("code", 'summary_path = write_summary(\n'
             '    output_dir, "00-picky", county=county, year=year, title=bilingual("挑剔", "Picky"),\n'
             '    headline=bilingual(f"{county}通过。", f"{county} passed."), paragraphs={"zh": [], "en": []})'),
])

make(HERE / "silent" / "00-silent.ipynb", [
    ("code", PARAMS, ["parameters"]),
    ("code", "x = 1"),
])

make(HERE / "noparams" / "00-noparams.ipynb", [
    ("code", 'county = "灵寿县"\nyear = "latest"\ndata_dir = None\nlang = "zh"', ["parameters"]),
])

make(HERE / "norule" / "00-norule.ipynb", [
    ("code", PARAMS + '\ncolour = "red"          # 未登记的参数 / a parameter without a rule', ["parameters"]),
])


def make_with_order(path: Path, cells, after) -> None:
    """A fixture notebook that declares the notebooks it runs after (metadata ``lingshou.after``)."""
    make(path, cells)
    nb = nbformat.read(path, as_version=4)
    nb.metadata["lingshou"] = {"after": after}
    nbformat.write(nb, path)


# parallel/: run two at a time, 00 fails once 05 has started; 05 would sleep for minutes (its kernel must be
# killed); 10 runs after 00 and so must never start.
make_with_order(HERE / "parallel" / "00-fails-late.ipynb", [
    ("code", "import time\nfrom pathlib import Path"),
    ("code", PARAMS, ["parameters"]),
    ("code", 'for _ in range(1200):\n    if Path(output_dir, "started-05").exists():\n        break\n    time.sleep(0.1)\n'
             'raise ValueError("故意的错误 deliberate failure")'),
], [])
make_with_order(HERE / "parallel" / "05-sleeps.ipynb", [
    ("code", "import os\nimport time\nfrom pathlib import Path"),
    ("code", PARAMS, ["parameters"]),
    ("code", 'Path(output_dir, "pid-05").write_text(str(os.getpid()))\nPath(output_dir, "started-05").write_text("")\n'
             'time.sleep(300)\nPath(output_dir, "woke-05").write_text("")'),
], [])
make_with_order(HERE / "parallel" / "10-never.ipynb", [
    ("code", "from pathlib import Path"),
    ("code", PARAMS, ["parameters"]),
    ("code", 'Path(output_dir, "ran-10").write_text("")'),
], ["00-fails-late"])

# sleepers/: two notebooks that both sleep, to interrupt a run with two kernels.
for _name in ("00-sleeps", "05-sleeps"):
    make_with_order(HERE / "sleepers" / f"{_name}.ipynb", [
        ("code", "import os\nimport time\nfrom pathlib import Path"),
        ("code", PARAMS, ["parameters"]),
        ("code", f'Path(output_dir, "pid-{_name}").write_text(str(os.getpid()))\ntime.sleep(300)'),
    ], [])

# dies/: the kernel kills itself (a crash): no executed copy is left, the message names the notebook.
make(HERE / "dies" / "00-dies.ipynb", [
    ("code", "import os\nimport signal\nimport sys"),
    ("code", PARAMS, ["parameters"]),
    ("code", 'os.write(sys.__stderr__.fileno(), b"last words\\n")\nos.kill(os.getpid(), signal.SIGKILL)'),
])

# warm/: what one notebook leaves in a warm kernel must not reach the next.
make(HERE / "warm" / "00-leak.ipynb", [
    ("code", "import os\nfrom pathlib import Path\n\nimport matplotlib\nimport matplotlib.pyplot as plt\n"
             "from lingshou.report.summary import bilingual, write_summary"),
    ("code", PARAMS, ["parameters"]),
    ("code", 'left = [name for name in ("leaked", "fig") if name in globals()]\n'
             'assert not left, f"names left by an earlier notebook: {left}"\n'
             'assert plt.get_fignums() == [], plt.get_fignums()\n'
             'assert matplotlib.rcParams["lines.linewidth"] != 9, "a setting left by an earlier notebook"\n'
             'assert Path.cwd().name == "warm", Path.cwd()'),
    ("code", 'leaked = county\nfig = plt.figure()\nmatplotlib.rcParams["lines.linewidth"] = 9\nos.chdir("..")\n'
             'Path(output_dir, "pid-00").write_text(str(os.getpid()))'),
    ("code", 'summary_path = write_summary(\n'
             '    output_dir, "00-leak", county=county, year=year, title=bilingual("无残留", "No leak"),\n'
             '    headline=bilingual(f"{county}通过。", f"{county} passed."), paragraphs={"zh": [], "en": []})'),
])
make(HERE / "warm" / "05-pid.ipynb", [
    ("code", "import os\nfrom pathlib import Path\n\nfrom lingshou.report.summary import bilingual, write_summary"),
    ("code", PARAMS, ["parameters"]),
    ("code", 'assert "leaked" not in globals()\nPath(output_dir, "pid-05").write_text(str(os.getpid()))'),
    ("code", 'summary_path = write_summary(\n'
             '    output_dir, "05-pid", county=county, year=year, title=bilingual("内核", "Kernel"),\n'
             '    headline=bilingual(f"{county}通过。", f"{county} passed."), paragraphs={"zh": [], "en": []})'),
])

# lost/: kernels that die or hang, to be replaced while the batch goes on.
make(HERE / "lost" / "00-lost.ipynb", [
    ("code", "import os\nimport signal\nimport time\nfrom pathlib import Path\n\n"
             "from lingshou.report.summary import bilingual, write_summary"),
    ("code", PARAMS, ["parameters"]),
    ("code", 'marker = Path(data_dir, f"died-{county}")\n'
             'if county == "平山县" and Path(data_dir, "hang").exists():\n    time.sleep(300)\n'
             'if county == "平山县" or not marker.exists():\n'
             '    marker.write_text("")\n    os.kill(os.getpid(), signal.SIGKILL)'),
    ("code", 'summary_path = write_summary(\n'
             '    output_dir, "00-lost", county=county, year=year, title=bilingual("重跑", "Run again"),\n'
             '    headline=bilingual(f"{county}通过。", f"{county} passed."), paragraphs={"zh": [], "en": []})'),
])
