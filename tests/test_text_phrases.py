"""One text type (lingshou.i18n.Text) and the phrase files that hold a module's prose beside it."""
import string
from pathlib import Path

import pytest

import lingshou
from lingshou.errors import ParameterError
from lingshou.i18n import Text
from lingshou.yamlfile import load_phrases, parse_phrases

PACKAGE = Path(lingshou.__file__).parent
#: Every phrase file of the package: the YAML beside a module of the same name.
PHRASE_FILES = sorted(p for p in PACKAGE.rglob("*.yaml") if p.with_suffix(".py").is_file())


def test_text_is_the_pair_it_replaces():
    t = Text("等级", "grade")
    zh, en = t
    assert (zh, en) == ("等级", "grade") and t[0] == "等级" and t == ("等级", "grade")
    assert t.pick("zh") == "等级" and t.pick("en") == "grade"
    assert str(t) == "等级 / grade"
    assert t.both() == {"zh": "等级", "en": "grade"}


def test_text_formats_both_languages():
    t = Text("{county}得分{score:.1f}分", "{county}: {score:.1f} points").format(county="灵寿县", score=61.25)
    assert t == Text("灵寿县得分61.2分", "灵寿县: 61.2 points")


def test_text_refuses_an_unknown_language():
    with pytest.raises(ParameterError, match=r"不支持的语言 lang='fr'.*unsupported lang='fr'"):
        Text("是", "yes").pick("fr")


def test_the_package_has_phrase_files():
    names = {p.relative_to(PACKAGE).as_posix() for p in PHRASE_FILES}
    assert "evaluation/benchmarking/wording.yaml" in names
    assert "plots/labels.yaml" in names


def test_a_figure_label_is_filled_in_its_language():
    from lingshou.plots.labels import label

    assert label("rd.scenario_line", "zh", name="收入中情景", rate=2.0) == "收入中情景（+2.0%/年）"
    assert label("rd.scenario_line", "en", name="central revenue", rate=-1.25) == "central revenue (-1.2 %/yr)"
    assert label("fiscal.spend_target", "en", target=1500) == "spending target 1,500 ×10k yuan"
    with pytest.raises(ParameterError, match=r"unsupported lang='de'"):
        label("rd.actual", "de")


@pytest.mark.parametrize("path", PHRASE_FILES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_every_phrase_file_has_both_languages_and_the_same_placeholders(path):
    phrases = load_phrases(path.with_suffix(".py"))
    assert phrases and all(isinstance(t, Text) for t in phrases.values())
    # a text is empty (a separator) in both languages or in neither
    assert [k for k, t in phrases.items() if bool(t.zh.strip()) != bool(t.en.strip())] == []
    # Chinese first: every Chinese text that is not only punctuation or placeholders has a Chinese character
    for key, t in phrases.items():
        literal = "".join(part for part, *_ in string.Formatter().parse(t.zh))
        assert not any(ch.isascii() and ch.isalpha() for ch in literal) or any("\u4e00" <= ch <= "\u9fff" for ch in literal), key


def test_a_key_missing_in_one_language_is_named(tmp_path):
    content = {"ok": {"zh": "好", "en": "good"}, "half": {"zh": "只有中文"}}
    with pytest.raises(ParameterError, match=r"(?s)文字文件 .*p.yaml 有 1 处问题 / phrase file .*p.yaml has 1 problem.*"
                                             r"'half': 键应为 zh 与 en（可另有 omit），实为 \['zh'\] / keys must be zh and en \(and omit\), got \['zh'\]"):
        parse_phrases(content, tmp_path / "p.yaml")


def test_every_problem_of_a_file_is_reported_at_once(tmp_path):
    content = {"a": "not a mapping", "b": {"zh": "{n}个", "en": "{count} of them"}, "c": {"zh": 1, "en": "x"},
               "d": {"zh": "{n", "en": "{n}"}}
    with pytest.raises(ParameterError) as info:
        parse_phrases(content, tmp_path / "p.yaml")
    message = str(info.value)
    assert "有 4 处问题 / phrase file" in message and "has 4 problem(s)" in message
    assert "'a': 应为含 zh 与 en 的映射 / must be a mapping with zh and en" in message
    assert ("'b': 两种语言的占位符不同：zh ['n']，en ['count']，omit []（只有一种语言用的占位符须列在 omit 中）/ the "
            "languages' placeholders differ: zh ['n'], en ['count'], omit [] (a placeholder only one language uses "
            "must be listed in omit)") in message
    assert "'c': zh 与 en 都应为文字 / zh and en must both be text" in message
    assert "'d': 花括号不成对" in message and "unpaired braces" in message


def test_a_file_that_holds_no_mapping_is_refused(tmp_path):
    with pytest.raises(ParameterError, match=r"文字文件 .*p.yaml 应为非空映射.*phrase file .*p.yaml must be a non-empty mapping"):
        parse_phrases(["a", "b"], tmp_path / "p.yaml")


def test_a_module_without_its_phrase_file(tmp_path):
    with pytest.raises(ParameterError, match=r"文字文件不存在：.*lonely.yaml / phrase file does not exist: .*lonely.yaml"):
        load_phrases(tmp_path / "lonely.py")


def test_phrases_are_read_from_the_file_beside_the_module(tmp_path):
    (tmp_path / "m.yaml").write_text('hello: {zh: "你好，{name}", en: "hello, {name}"}\n', encoding="utf-8")
    phrases = load_phrases(tmp_path / "m.py")
    assert phrases == {"hello": Text("你好，{name}", "hello, {name}")}
    phrases["hello"] = Text("改", "changed")
    assert load_phrases(tmp_path / "m.py")["hello"] == Text("你好，{name}", "hello, {name}")


def test_placeholders_with_attributes_and_indexes_count_by_their_name(tmp_path):
    content = {"k": {"zh": "{row[name]}：{p.value:.0%}", "en": "{row[name]}: {p.value:.0%}"}}
    assert parse_phrases(content, tmp_path / "p.yaml")["k"].en == "{row[name]}: {p.value:.0%}"


def test_a_text_fills_each_language_with_its_own_half():
    peers = Text("石家庄市22个县（市、区）", "the 22 counties of Shijiazhuang")
    t = Text("在{peers}中排第{rank}名", "rank {rank} of {peers}").format(peers=peers, rank=12)
    assert t == Text("在石家庄市22个县（市、区）中排第12名", "rank 12 of the 22 counties of Shijiazhuang")


def test_a_function_of_the_language_gives_a_text():
    def grade_word(grade, lang):
        return f"{grade}类" if lang == "zh" else f"grade {grade}"
    assert Text.of(grade_word, "B") == Text("B类", "grade B")


def test_a_placeholder_one_language_leaves_out_is_declared(tmp_path):
    content = {"k": {"zh": "一级指标{names}的分值", "en": "the points of {n} pillars ({names})", "omit": ["n"]}}
    assert parse_phrases(content, tmp_path / "p.yaml")["k"].format(names="X", n=1) == Text("一级指标X的分值",
                                                                                             "the points of 1 pillars (X)")


def test_omit_must_name_only_what_one_language_leaves_out(tmp_path):
    content = {"a": {"zh": "{n}个", "en": "{n} of them", "omit": ["n"]}, "b": {"zh": "x", "en": "y", "omit": "n"}}
    with pytest.raises(ParameterError) as info:
        parse_phrases(content, tmp_path / "p.yaml")
    assert "'a': 两种语言的占位符不同：zh ['n']，en ['n']，omit ['n']" in str(info.value)
    assert "'b': omit 应为占位符名称的列表 / omit must be a list of placeholder names" in str(info.value)


def test_a_separator_joins_each_language_with_its_half():
    items = [Text("甲", "A"), Text("乙", "B")]
    assert Text("、", ", ").join(items) == Text("甲、乙", "A, B")
    assert Text("、", ", ").join([]) == Text("", "")


def test_texts_concatenate_language_by_language():
    assert Text("落后：", "Behind: ") + Text("甲。", "A.") == Text("落后：甲。", "Behind: A.")
    with pytest.raises(TypeError):
        Text("甲", "A") + ("乙", "B")
