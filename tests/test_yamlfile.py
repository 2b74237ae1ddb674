"""Clear messages for the suite's YAML files."""
import pytest

from lingshou.errors import ParameterError
from lingshou.evaluation.model import load_model
from lingshou.yamlfile import read_mapping


def test_reads_a_mapping(tmp_path):
    p = tmp_path / "m.yaml"
    p.write_text("a: 1\nb: [2, 3]\n", encoding="utf-8")
    assert read_mapping(p, "文件", "file") == {"a": 1, "b": [2, 3]}


def test_missing_file(tmp_path):
    with pytest.raises(ParameterError, match=r"评价模型文件不存在：.*nope.yaml / model file does not exist: "):
        read_mapping(tmp_path / "nope.yaml", "评价模型文件", "model file")


def test_invalid_yaml_names_the_file(tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text("a: [1, 2\nb: c: d\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"评价模型文件 .*bad.yaml 不是有效的 YAML.*model file .*bad.yaml is not valid YAML"):
        load_model(p)


def test_not_a_mapping(tmp_path):
    p = tmp_path / "list.yaml"
    p.write_text("- 1\n- 2\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"list.yaml 的内容不是映射 / file .*list.yaml does not hold a mapping"):
        read_mapping(p, "文件", "file")


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"


def test_an_alias_bomb_is_refused_before_it_expands(tmp_path):
    from lingshou.report.runner import load_params_file

    p = tmp_path / "bomb.yaml"
    p.write_text(BOMB, encoding="utf-8")
    with pytest.raises(ParameterError, match=r"参数文件 .*bomb.yaml 第 1 行使用了 YAML 锚点或别名（&、\*），不予读取") as info:
        load_params_file(p)
    assert len(str(info.value)) < 500       # the value is never echoed


def test_a_too_large_or_non_utf8_yaml_is_refused(tmp_path, monkeypatch):
    import lingshou.yamlfile as Y

    p = tmp_path / "big.yaml"
    p.write_text("a: " + "x" * 50 + "\n", encoding="utf-8")
    monkeypatch.setattr(Y, "MAX_YAML_BYTES", 40)
    with pytest.raises(ParameterError, match=r"big.yaml 超过 0 MB，不予读取 / file .*big.yaml is over 0 MB and was not read"):
        read_mapping(p, "文件", "file")
    with pytest.raises(ParameterError, match=r"超过 0 MB"):
        Y.parse_yaml("a: " + "x" * 50, p, "文件", "file")
    monkeypatch.undo()
    q = tmp_path / "gbk.yaml"
    q.write_bytes("a: 灵寿县\n".encode("gbk"))
    with pytest.raises(ParameterError, match=r"gbk.yaml 不是 UTF-8 文本 / file .*gbk.yaml is not UTF-8 text"):
        read_mapping(q, "文件", "file")


def test_a_long_parser_message_is_cut(tmp_path):
    p = tmp_path / "long.yaml"
    p.write_text("a: [" + "1, " * 2000 + "\n", encoding="utf-8")
    with pytest.raises(ParameterError) as info:
        read_mapping(p, "文件", "file")
    assert len(str(info.value)) < 2 * (300 + 200)


def test_a_data_card_alias_is_a_problem_not_a_crash(write_csv):
    from lingshou.data.read import read_records
    from lingshou.data.catalogue import load_catalogue

    path = write_csv("t.csv", "县,年份,指标,数值,单位\n灵寿县,2022,高新技术企业数,24,家\n")
    path.with_name("t.card.yaml").write_text("status: &s published\nsource: *s\n", encoding="utf-8")
    _, probs = read_records(path, load_catalogue())
    assert probs[0].rule == "card" and "锚点或别名" in probs[0].zh and probs[0].en.startswith(
        "cannot read the data card, so the file was not read: data card")
