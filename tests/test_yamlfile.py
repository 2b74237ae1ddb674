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
