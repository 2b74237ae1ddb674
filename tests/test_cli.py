"""Tests of the ``lingshou`` command through ``lingshou.cli.main``: exit codes 0/1/2 and message texts."""
from __future__ import annotations

import importlib
import json

import pytest
from conftest import BUREAU, MALFORMED

import lingshou.cli
from lingshou import __version__
from lingshou.cli import EXIT_DATA, EXIT_OK, EXIT_USAGE, main

LONG = "县,年份,指标,数值,单位\n"


def run(capfd, argv):
    # cli._print_problems takes ``stream=sys.stdout`` as a default bound when the module is imported; a
    # fresh import binds it to this test's captured stdout (the lead is told about that default).
    cli = importlib.reload(lingshou.cli)
    code = cli.main([str(a) for a in argv])
    out, err = capfd.readouterr()
    return code, out, err


@pytest.mark.parametrize("argv, words", [
    (["--help"], ["县域科技创新跃升计划监测分析套件", "county S&T innovation plan monitoring suite", "validate", "build",
                  "退出码 exit codes"]),
    (["validate", "--help"], ["检查数据文件", "Check data files", "--county", "--data", "--verbose"]),
    (["build", "--help"], ["原子写入", "atomically", "--data"]),
])
def test_help_in_chinese_and_english(capfd, argv, words):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 0
    out = capfd.readouterr().out
    for w in words:
        assert w in out


def test_version(capfd):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0 and capfd.readouterr().out.strip() == f"lingshou {__version__}"


def test_no_command_prints_help_and_is_a_usage_error(capfd):
    code, out, _ = run(capfd, [])
    assert code == EXIT_USAGE == 2
    assert "常用命令 / common commands" in out


@pytest.mark.parametrize("argv", [["bogus"], ["validate", "--no-such-option"], ["build", "extra-argument"]])
def test_bad_usage_exits_2(capfd, argv):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert "用法错误 usage error:" in capfd.readouterr().err


def test_validate_bundled_data_is_clean(capfd):
    code, out, _ = run(capfd, ["validate"])
    assert code == EXIT_OK == 0
    assert out.splitlines()[-1] == "检查完成：0 个错误，0 个警告 / checked: 0 error(s), 0 warning(s)"


def test_validate_a_broken_file_exits_1_with_the_problem(capfd):
    path = MALFORMED / "m13_negative_money.csv"
    code, out, _ = run(capfd, ["validate", path])
    assert code == EXIT_DATA == 1
    assert out.splitlines() == [
        f"[错误 ERROR] {path}, 行 row 2, 列 column 数值, 值 value -1520: 地方财政科技支出不能为负数 / fiscal_st_expenditure cannot be negative",
        "检查完成：1 个错误，0 个警告 / checked: 1 error(s), 0 warning(s)",
    ]


def test_validate_several_paths_reports_every_problem(capfd):
    code, out, _ = run(capfd, ["validate", MALFORMED / "m01_unmapped_indicator.csv", MALFORMED / "m02_unmapped_county.csv",
                               MALFORMED / "m33_jump.csv"])
    assert code == 1
    assert "科技创新指数" in out and "灵丘县" in out and "较上年变化超过 5 倍" in out
    assert out.splitlines()[-1] == "检查完成：2 个错误，1 个警告 / checked: 2 error(s), 1 warning(s)"


def test_validate_warnings_only_exits_0(capfd):
    code, out, _ = run(capfd, ["validate", BUREAU])
    assert code == 0
    assert "汇总行" in out and "0 个错误" in out


def test_validate_info_lines_only_with_verbose(capfd):
    path = MALFORMED.parent / "bureau" / "county_st_indicators_2022.csv"
    code, out, _ = run(capfd, ["validate", path])
    assert code == 0 and "[提示 INFO]" not in out
    assert "（另有 4 条提示，如缺失值、表下的说明，加 --verbose 显示 / 4 more info lines, such as missing values and notes under tables; add --verbose to list them）" in out
    code, out, _ = run(capfd, ["validate", "--verbose", path])
    assert code == 0 and out.count("[提示 INFO]") == 4 and "另有" not in out


def test_validate_county_option(capfd, write_csv):
    path = write_csv("no_county.csv", "指标,2021,2022\n高新技术企业数(家),18,24\n")
    code, out, _ = run(capfd, ["validate", path])
    assert code == 1 and "没有县名" in out
    code, out, _ = run(capfd, ["validate", "--county", "灵寿", path])
    assert code == 0


def test_validate_missing_path_is_a_usage_error(capfd, tmp_path):
    code, out, err = run(capfd, ["validate", tmp_path / "nope.csv"])
    assert code == EXIT_USAGE
    assert err.strip() == (f"参数错误 / parameter error: 文件或文件夹不存在：{tmp_path / 'nope.csv'} / no such file or folder: "
                           f"{tmp_path / 'nope.csv'}")


def test_validate_missing_data_folder_is_a_usage_error(capfd, tmp_path):
    code, _, err = run(capfd, ["validate", "--data", tmp_path / "none"])
    assert code == 2
    assert "数据文件夹不存在" in err and "data folder does not exist" in err


def test_build_and_rebuild(capfd, make_data_dir):
    folder = make_data_dir({"a.csv": LONG + "灵寿县,2021,高新技术企业数,18,家\n灵寿县,2022,高新技术企业数,24,家\n"})
    code, out, _ = run(capfd, ["build", "--data", folder])
    assert code == 0
    assert out.strip() == f"已生成 {folder / 'processed'}（2 行）/ built {folder / 'processed'} (2 rows)"
    before = (folder / "processed" / "statistics.csv").read_bytes()
    assert run(capfd, ["build", "--data", folder])[0] == 0
    assert (folder / "processed" / "statistics.csv").read_bytes() == before


def test_build_with_data_errors_exits_1_and_keeps_processed(capfd, make_data_dir):
    folder = make_data_dir({"a.csv": LONG + "灵寿县,2022,高新技术企业数,24,家\n"})
    assert run(capfd, ["build", "--data", folder])[0] == 0
    before = (folder / "processed" / "statistics.csv").read_bytes()
    (folder / "raw" / "statistics" / "b.csv").write_text(LONG + "灵寿县,2022,高新技术企业数,-3,家\n", encoding="utf-8")
    code, _, err = run(capfd, ["build", "--data", folder])
    assert code == EXIT_DATA
    # the negative value, and its conflict with a.csv's 24 (every check runs on every cell)
    assert err.startswith("数据错误 / data error:\n数据有 2 个错误，未生成 processed/")
    assert "高新技术企业数不能为负数" in err and "出现多次且数值不同" in err
    assert (folder / "processed" / "statistics.csv").read_bytes() == before


def test_build_the_bundled_data_in_a_copy(capfd, bundled_copy):
    code, out, _ = run(capfd, ["build", "--data", bundled_copy])
    assert code == 0 and (bundled_copy / "processed" / "statistics.csv").is_file()
    manifest = json.loads((bundled_copy / "processed" / "build.json").read_text(encoding="utf-8"))
    n_lines = len((bundled_copy / "processed" / "statistics.csv").read_text(encoding="utf-8").splitlines()) - 1
    assert manifest["rows"] == n_lines and f"（{n_lines} 行）" in out


def test_python_dash_m_lingshou_version():
    import subprocess
    import sys

    from lingshou import __version__

    out = subprocess.run([sys.executable, "-m", "lingshou", "--version"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == f"lingshou {__version__}"


def test_repeated_problems_are_shown_twenty_per_rule_and_file_and_counted(tmp_path, capsys):
    from lingshou.cli import main

    rows = "".join(f"灵寿县,{2000 + i % 20},高新技术企业数,-{i + 1},家\n" for i in range(25))
    path = tmp_path / "neg.csv"
    path.write_text("县,年份,指标,数值,单位\n" + rows, encoding="utf-8")
    rc = main(["validate", str(path)])
    out = capsys.readouterr().out
    assert rc == 1
    negative = [line for line in out.splitlines() if "不能为负数" in line]
    assert len(negative) == 20                              # 25 negatives: 20 shown …
    assert f"… {path} 中另有 5 条同类问题（negative），lingshou validate --verbose 全部列出" in out   # … 5 counted
    main(["validate", "--verbose", str(path)])
    assert len([line for line in capsys.readouterr().out.splitlines() if "不能为负数" in line]) == 25


def test_problem_lines_without_limit_and_by_file():
    from lingshou.data.problems import problem
    from lingshou.errors import problem_lines

    probs = [problem("error", "negative", "负", "neg", file=f) for f in ("a.csv", "a.csv", "b.csv")]
    assert len(problem_lines(probs, limit=None)) == 3
    lines = problem_lines(probs, limit=1)
    assert len(lines) == 3 and "a.csv 中另有 1 条同类问题（negative）" in lines[1] and lines[2].startswith("[错误")
