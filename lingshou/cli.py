"""The ``lingshou`` command (命令行).

Exit codes: 0 success; 1 data errors; 2 usage errors (bad option or parameter); 3 an analysis failed.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lingshou import __version__
from lingshou.errors import (
    SHOWN_PER_RULE,
    AnalysisError,
    DataError,
    LingshouError,
    ParameterError,
    SystemFault,
    problem_lines,
    system_fault,
)
from lingshou.i18n import bi

EXIT_OK, EXIT_DATA, EXIT_USAGE, EXIT_ANALYSIS, EXIT_SYSTEM = 0, 1, 2, 3, 4

DESCRIPTION = """县域科技创新跃升计划监测分析套件 lingshou — county S&T innovation plan monitoring suite.

常用命令 / common commands:
  lingshou validate [PATH ...]   检查数据文件，列出全部问题 / check data files, list every problem
  lingshou build [--data DIR]    生成 processed/ 整洁数据表 / build the processed tidy table
  lingshou report --county 灵寿县 --year 2022   生成年度报告 / produce the yearly report
  lingshou template --county 灵寿县 --year 2024  生成各部门填报表 / Excel return forms per department
  lingshou collect DIR [--status]  读取并检查各部门报回的表 / read and check the returned forms
  lingshou calibrate [--data DIR]  按已公布等级校准评价模型 / calibrate the evaluation model on published grades
退出码 exit codes: 0 成功 success, 1 数据错误 data errors, 2 用法错误 usage errors, 3 分析失败 analysis failed,
4 系统错误 system errors (permission, disk full, a file in the way)."""


class _Parser(argparse.ArgumentParser):
    """argparse with usage errors as exit code 2 and a bilingual prefix."""

    def error(self, message: str):  # pragma: no cover - exercised through main()
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"用法错误 usage error: {message}\n")


def _print_problems(problems, verbose: bool, stream=None) -> dict:
    from lingshou.data.validate import summarise

    stream = stream or sys.stdout  # looked up at call time, so a redirected sys.stdout is honoured
    counts = summarise(problems)
    shown = [p for p in problems if p.severity != "info" or verbose]
    for line in problem_lines(shown, limit=None if verbose else SHOWN_PER_RULE):
        print(line, file=stream)
    if counts["info"] and not verbose:
        print(f"（另有 {counts['info']} 条提示，如缺失值、表下的说明，加 --verbose 显示 / "
              f"{counts['info']} more info lines, such as missing values and notes under tables; add --verbose to list "
              "them）", file=stream)
    return counts


def cmd_validate(args) -> int:
    from lingshou.config import data_folder
    from lingshou.data.validate import validate_paths

    folder = data_folder(args.data)
    paths = args.paths or [folder.statistics]
    _, problems = validate_paths(paths, data_dir=folder, county=args.county)
    counts = _print_problems(problems, args.verbose)
    print(f"检查完成：{counts['error']} 个错误，{counts['warning']} 个警告 / checked: {counts['error']} error(s), "
          f"{counts['warning']} warning(s)")
    return EXIT_DATA if counts["error"] else EXIT_OK


def cmd_build(args) -> int:
    from lingshou.data.build import build

    result = build(args.data)
    _print_problems(result.problems, args.verbose)
    print(f"已生成 {result.folder}（{len(result.table)} 行）/ built {result.folder} ({len(result.table)} rows)")
    return EXIT_OK


def cmd_template(args) -> int:
    from lingshou.collect.template import write_templates

    paths = write_templates(args.county, args.year, unit=args.unit, out=args.out, data_dir=args.data, force=args.force,
                            period=args.period)
    for path in paths:
        print(path)
    print(f"已生成 {len(paths)} 个填报表 / wrote {len(paths)} return form(s)")
    return EXIT_OK


def cmd_collect(args) -> int:
    from lingshou.collect.messages import format_report, format_status
    from lingshou.collect.returns import read_returns
    from lingshou.collect.store import write_collection
    from lingshou.data.problems import errors

    coll = read_returns(args.returns, county=args.county, year=args.year, data_dir=args.data, period=args.period,
                        amend=args.amend)
    if args.status:
        print(format_status(coll))
        return EXIT_OK
    print(format_report(coll))
    if not coll.ok:
        n_conf = len(coll.conflicts) + len(coll.task_conflicts)
        print(f"\n未写入：{len(errors(coll.problems))} 个错误，{n_conf} 个冲突（与数据文件夹已有的数值或任务进展不同）/ "
              f"nothing written: {len(errors(coll.problems))} error(s), {n_conf} conflict(s) "
              "(values or task progress that differ from what the data folder holds)")
        return EXIT_DATA
    written = write_collection(coll, final=args.final)
    if written:
        status = "published" if args.final else "provisional"
        print(f"\n已写入 written ({status}): " + ", ".join(str(p) for p in written))
    else:
        print("\n没有新数值，未写入 / nothing new; nothing written")
    return EXIT_OK


def cmd_report(args) -> int:
    """The ``lingshou report`` subcommand (one county, or every county with ``--all-counties``)."""
    from lingshou.report.batch import BATCH_CELL_TIMEOUT, format_outcomes, report_all
    from lingshou.report.make import exit_code, make_report

    year = args.year
    if isinstance(year, str) and year.strip().isdigit():
        year = int(year)
    stream = None if args.quiet else sys.stdout
    if args.cell_timeout is not None and not args.cell_timeout >= 0:
        raise ParameterError(bi(f"--cell-timeout 应为非负整数秒，实际为 {args.cell_timeout}",
                                f"--cell-timeout must be a non-negative whole number of seconds, got {args.cell_timeout}"))
    if args.all_counties and args.prefecture:
        raise ParameterError(bi("--all-counties 与 --prefecture 只能选一个", "use either --all-counties or --prefecture"))
    if args.all_counties or args.prefecture:
        timeout = args.cell_timeout if args.cell_timeout is not None else BATCH_CELL_TIMEOUT
        outcomes = report_all(year, prefecture=args.prefecture, data_dir=args.data, out_dir=args.out, lang=args.lang,
                              params_file=args.params, notebooks_dir=args.notebooks, jobs=args.jobs,
                              kernels=args.kernels, stream=stream, cell_timeout=timeout or None)
        print(format_outcomes(outcomes))
        return max((o.exit_code for o in outcomes), default=EXIT_OK)
    if not args.county:
        raise ParameterError(bi("请用 --county 指定县，或用 --all-counties / --prefecture 生成多个县的报告",
                                "name a county with --county, or use --all-counties / --prefecture"))
    try:
        result = make_report(args.county, year, data_dir=args.data, out_dir=args.out, lang=args.lang,
                             params_file=args.params, notebooks_dir=args.notebooks, stream=stream,
                             progress=not args.quiet, kernels=args.kernels, cell_timeout=args.cell_timeout or None)
    except KeyboardInterrupt as exc:
        print(bi("已中断：原报告保持不变，未留下半成品文件", "interrupted: the previous report is untouched, nothing "
                 "half-written was left"), file=sys.stderr)
        return exit_code(exc)
    for w in result.run.get("warnings", []):
        print(f"警告 warning: {w}", file=sys.stderr)
    print(f"报告 report: {result.pdf}")
    return EXIT_OK


def cmd_calibrate(args) -> int:
    """The ``lingshou calibrate`` subcommand: fit the evaluation model's points to the published results."""
    from lingshou.evaluation.calibration.result import format_calibration
    from lingshou.evaluation.calibration.run import calibrate

    cal, path = calibrate(args.data, model=args.model, out=args.out, rounds=args.rounds, qualitative=args.qualitative,
                          max_points=args.max_points, max_slack=args.max_slack, tolerance=args.tolerance,
                          n_samples=args.samples, seed=args.seed)
    print(format_calibration(cal, path))
    print(f"\n已写入 written: {path}（报告中使用：--params 里设 model: {path} / use in a report: model: {path} in --params）")
    return EXIT_OK


def _add_calibrate(sub) -> None:
    """The ``lingshou calibrate`` subcommand's arguments."""
    p = sub.add_parser("calibrate", help="按已公布的评价等级校准评价模型的分值 / fit the evaluation model's points to the "
                                         "published grades")
    p.add_argument("--data", type=Path, default=None, help="数据文件夹（默认：内置数据）/ data folder (default: bundled)")
    p.add_argument("--model", type=Path, default=None, help="要校准的评价模型（默认：内置假设模型）/ model to calibrate")
    p.add_argument("--out", type=Path, default=None,
                   help="校准后的模型文件（默认：processed/calibration/<id>_calibrated.yaml）/ calibrated model file")
    p.add_argument("--rounds", default=None, help="所用评价轮次，如 2021,2023（默认：全部）/ rounds to fit (default: all)")
    p.add_argument("--qualitative", choices=["common", "per_county"], default="common",
                   help="定性得分：各县共用一个值（默认）或每县一个 / qualitative points: one common value (default) or per county")
    p.add_argument("--max-points", type=float, default=None, help="单项指标分值上限（默认 85）/ largest points of one indicator")
    p.add_argument("--max-slack", type=float, default=None,
                   help="每项结果允许的最大偏差（分，默认不限）/ largest misfit allowed to one result (points; default none)")
    p.add_argument("--tolerance", type=float, default=1.0,
                   help="一致集合允许比最佳拟合多出的总偏差（分，默认 1）/ total misfit beyond the best fit still consistent")
    p.add_argument("--samples", type=int, default=10_000, help="分值样本数（默认 10000）/ number of sampled point vectors")
    p.add_argument("--seed", type=int, default=0, help="随机种子 / random seed")
    p.set_defaults(func=cmd_calibrate)


def _add_validate(sub) -> None:
    """The ``lingshou validate`` subcommand's arguments."""
    p = sub.add_parser("validate", help="检查数据文件并列出全部问题 / check data files and list every problem",
                       description="检查数据文件（CSV/XLSX，文件或文件夹），一次列出全部问题（文件、行、列、值）。"
                                   "有错误时退出码为 1。/ Check data files (CSV/XLSX, files or folders) and list every "
                                   "problem (file, row, column, value) in one pass; exit code 1 if there is any error.")
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                   help="要检查的文件或文件夹（默认：数据文件夹的 raw/statistics）/ files or folders to check "
                        "(default: raw/statistics of the data folder)")
    p.add_argument("--data", type=Path, default=None,
                   help="数据文件夹（含 raw/；默认：内置数据）/ data folder holding raw/ (default: the bundled data)")
    p.add_argument("--county", default=None,
                   help="文件中没有县名列时，数据所属的县 / the county of files that have no county column")
    p.add_argument("--verbose", "-v", action="store_true", help="同时列出提示（如缺失值）和每一条重复的同类问题 / also list info lines (e.g. missing values) and every "
                        "repeated problem (by default 20 per rule and file, the rest counted)")
    p.set_defaults(func=cmd_validate)


def _add_build(sub) -> None:
    """The ``lingshou build`` subcommand's arguments."""
    p = sub.add_parser("build", help="由原始数据生成 processed/ 整洁数据表 / build the processed tidy table",
                       description="检查并把 raw/statistics 中的全部文件合并为 processed/statistics.csv（带结构说明），"
                                   "原子写入：失败时保留原有 processed/。/ Validate raw/statistics and write one tidy "
                                   "table with its schema to processed/, atomically (a failed build keeps the old one).")
    p.add_argument("--data", type=Path, default=None, help="数据文件夹（默认：内置数据）/ data folder (default: the bundled data)")
    p.add_argument("--verbose", "-v", action="store_true", help="同时列出提示 / also list info lines")
    p.set_defaults(func=cmd_build)


def _add_template(sub) -> None:
    """The ``lingshou template`` subcommand's arguments."""
    p = sub.add_parser("template", help="生成各报送单位的 Excel 填报表 / write the Excel return forms of the reporting units",
                       description="为每个报送单位生成一个 XLSX 填报表（见 raw/collection/reporting_units.csv）：指标代码、名称、"
                                   "计量单位、定义、前两年参考值、本年填报列（数据验证）、数据来源和备注列；结构受保护。/ Write one "
                                   "XLSX return form per reporting unit, listing exactly the figures it reports, with the two "
                                   "prior years for reference, validated input cells and a protected structure.")
    p.add_argument("--county", required=True, help="县名，如 灵寿县 / county, e.g. 灵寿县")
    p.add_argument("--year", required=True, type=int, help="填报的数据年度 / the data year to collect")
    p.add_argument("--unit", default=None, help="只生成该单位的表，如 县财政局 / only this unit's form, e.g. 县财政局")
    p.add_argument("--out", type=Path, default=None,
                   help="输出文件夹（默认 reports/collection/<县>_<年>/templates）/ output folder")
    p.add_argument("--data", type=Path, default=None, help="数据文件夹（默认：内置数据）/ data folder (default: the bundled data)")
    p.add_argument("--force", action="store_true", help="覆盖已有的表 / overwrite existing forms")
    p.add_argument("--period", default=None,
                   help="任务进展的报送期：2024Q3（季度，默认本季度；方案期结束后为其最后一季度）、2024H1、2024-09 或 2024 / reporting period of the task "
                        "progress: 2024Q3 (quarter; default the current one, after the plan its last), 2024H1, 2024-09 or 2024")
    p.set_defaults(func=cmd_template)


def _add_collect(sub) -> None:
    """The ``lingshou collect`` subcommand's arguments."""
    p = sub.add_parser("collect", help="检查各单位返回的填报表并写入数据文件夹 / check the returned forms and store them",
                       description="读取返回文件夹中的填报表（改动过格式的表按通用读取规则读取），按 lingshou validate 的规则检查，"
                                   "按单位列出缺报、错误、存疑（较上年变化超过3倍）和冲突；无错误且无冲突时写入 "
                                   "raw/statistics/collected_<县>_<年>.csv（provisional，--final 为 published）。有错误或冲突时退出码为 1。"
                                   "/ Read the returned forms (reshaped ones through the general loader), validate them as "
                                   "lingshou validate does, report per department what is missing, invalid, suspicious or in "
                                   "conflict, and when clean write one statistics file; exit code 1 on errors or conflicts.")
    p.add_argument("returns", type=Path, metavar="DIR", help="返回的填报表所在文件夹 / folder of the returned forms")
    p.add_argument("--year", type=int, default=None, help="数据年度（默认：取自填报表）/ data year (default: from the forms)")
    p.add_argument("--county", default=None, help="县名（默认：取自填报表）/ county (default: from the forms)")
    p.add_argument("--data", type=Path, default=None, help="数据文件夹（默认：内置数据）/ data folder (default: the bundled data)")
    p.add_argument("--final", action="store_true", help="写为 published（已确认）而非 provisional / store as published, not provisional")
    p.add_argument("--status", action="store_true",
                   help="只显示报送情况（已返回、未报送、各指标完整度），不写入 / only show which units returned, which are late, "
                        "and completeness by indicator; write nothing")
    p.add_argument("--period", default=None,
                   help="任务进展的报送期（默认：取自填报表）/ reporting period of the task progress (default: from the forms)")
    p.add_argument("--amend", action="store_true",
                   help="同一报送期的任务进展有改动时另存为新版本（旧版本保留）/ store a changed task return of a period "
                        "already stored as a new version (the old one is kept)")
    p.set_defaults(func=cmd_collect)


def _add_report(sub) -> None:
    """The ``lingshou report`` subcommand's arguments."""
    p = sub.add_parser("report", help="运行全部分析笔记本并生成年度 PDF 报告 / run every analysis notebook and compose the yearly PDF",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="先检查数据（有错误则停止，退出码 1），再运行 notebooks/ 中的分析笔记本（可同时运行几个，见 --kernels），生成 "
                                   "<输出>/<县>_<年>/：report.pdf、督导台账.xlsx、tables/、figures/、notebooks/（.ipynb 和 .html）、"
                                   "run.json。只在成功时替换原报告。/ Validate the data (errors stop the run, exit 1), run the "
                                   "analysis notebooks (several at once, see --kernels) and write <out>/<county>_<year>/: report.pdf, 督导台账.xlsx, "
                                   "tables/, figures/, notebooks/ (.ipynb and .html), run.json; the previous report is "
                                   "replaced only on success.",
                       epilog="退出码 exit codes: 0 成功 success, 1 数据错误 data errors, 2 用法错误 usage errors "
                              "(含未知参数 incl. unknown parameters), 3 分析失败 analysis failed, 4 系统错误 system error, "
                              "130/143 被中断 interrupted.\n"
                              "定时运行 scheduling: docs/scheduling.md")
    p.add_argument("--county", default=None, help="县名（任一写法）/ county (any name variant)")
    p.add_argument("--year", default="latest", help="数据年份或 latest（默认）/ data year or latest (default)")
    p.add_argument("--data", type=Path, default=None, help="数据文件夹（默认：内置数据）/ data folder (default: the bundled data)")
    p.add_argument("--out", type=Path, default=None, help="输出文件夹（默认：reports/）/ output folder (default: reports/)")
    p.add_argument("--lang", default="zh", choices=["zh", "en"], help="报告语言 / report language (default zh)")
    p.add_argument("--params", type=Path, default=None,
                   help="笔记本参数文件（YAML/JSON，名称: 值）/ notebook parameters file (YAML/JSON, name: value)")
    p.add_argument("--all-counties", action="store_true", help="为数据中的每个县生成报告 / a report for every county in the data")
    p.add_argument("--prefecture", default=None, help="为数据中该地级市的每个县生成报告（如 石家庄市）/ a report for every "
                                                       "county of this prefecture in the data (e.g. 石家庄市)")
    p.add_argument("--jobs", type=int, default=None, help="--all-counties / --prefecture 的并行进程数（默认：CPU 数，最多 4）"
                                                          "/ parallel processes for --all-counties / --prefecture "
                                                          "(default: CPUs, at most 4)")
    p.add_argument("--cell-timeout", type=int, default=None,
                   help="单元最长运行秒数（整数），超时则该笔记本失败（批量运行默认 600，其内核被替换、该县重跑一次；0 不限）"
                        " / whole seconds a cell may run before its notebook fails (batch default 600: the kernel is "
                        "replaced and the county run once more; 0: no limit)")
    p.add_argument("--kernels", type=int, default=None,
                   help="每份报告同时运行的笔记本数（各用一个内核；默认：CPU 数，最多 4；批量运行时每个进程 2 个，"
                        "--jobs 多于 CPU 数时 1 个）/ notebooks run at once per report, one kernel each (default: CPUs, "
                        "at most 4; in a batch 2 per worker, 1 when --jobs exceeds the CPUs)")
    p.add_argument("--notebooks", type=Path, default=None,
                   help="分析笔记本文件夹（默认：notebooks/）/ folder of the analysis notebooks (default: notebooks/)")
    p.add_argument("--quiet", "-q", action="store_true", help="不显示步骤 / do not print the steps")
    p.set_defaults(func=cmd_report)


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="lingshou", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"lingshou {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="命令 COMMAND", parser_class=_Parser)
    _add_validate(sub)
    _add_build(sub)
    _add_template(sub)
    _add_collect(sub)
    _add_report(sub)
    _add_calibrate(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``lingshou`` command; returns the exit code."""
    parser = make_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.func(args)
    except DataError as exc:
        print(f"数据错误 / data error:\n{exc}", file=sys.stderr)
        return EXIT_DATA
    except ParameterError as exc:
        print(f"参数错误 / parameter error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except AnalysisError as exc:
        print(f"分析失败 / analysis failed: {exc}", file=sys.stderr)
        return EXIT_ANALYSIS
    except SystemFault as exc:
        print(f"系统错误 / system error: {exc}", file=sys.stderr)
        return EXIT_SYSTEM
    except OSError as exc:  # outside a report run (a read-only or full output folder, a file in the way)
        print(f"系统错误 / system error: {system_fault(exc)}", file=sys.stderr)
        return EXIT_SYSTEM
    except LingshouError as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return EXIT_ANALYSIS


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
