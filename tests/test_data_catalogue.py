"""Tests of lingshou.data.catalogue: indicator aliases, county name variants, unit factors, table errors."""
from __future__ import annotations

import pytest
from conftest import BUNDLED_RAW
from hypothesis import given, settings
from hypothesis import strategies as st

from lingshou.data.catalogue import Formula, _read_csv, load_catalogue, normalise_text, split_unit
from lingshou.data.numbers import scale
from lingshou.errors import DataError, MappingError


def bundled(rel: str) -> str:
    return (BUNDLED_RAW / rel).read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------------ text
def test_normalise_text():
    assert normalise_text("规上工业企业R＆D经费支出（万元）") == "规上工业企业R&D经费支出(万元)"
    assert normalise_text(" 指　　标 ") == "指标"          # ideographic spaces as yearbooks pad names
    assert normalise_text("【亿元】") == "(亿元)"
    assert normalise_text("〔2022〕") == "(2022)"


@pytest.mark.parametrize("name, base, unit", [
    ("科学技术支出(亿元)", "科学技术支出", "亿元"),
    ("科学技术支出（亿元）", "科学技术支出", "亿元"),
    ("科学技术支出 (亿元)", "科学技术支出", "亿元"),
    ("高新技术企业数[家]", "高新技术企业数", "家"),
    ("一般公共预算支出(单位：万元)", "一般公共预算支出", "万元"),
    ("地方财政科技支出", "地方财政科技支出", None),
])
def test_split_unit(name, base, unit):
    assert split_unit(name) == (base, unit)


# ------------------------------------------------------------------------------------ indicators
@pytest.mark.parametrize("name", ["地方财政科技支出", "财政科技支出", "科学技术支出", "本级财政科技支出",
                                  "科学技术支出(亿元)", "科学技术支出（亿元）", "本级财政科技支出（万元）",
                                  "fiscal_st_expenditure", "FISCAL_ST_EXPENDITURE", "Local fiscal S&T expenditure",
                                  " 地方财政 科技支出 "])
def test_fiscal_st_expenditure_aliases(cat, name):
    assert cat.indicator_code(name) == "fiscal_st_expenditure"


@pytest.mark.parametrize("name, code", [
    ("地方财政科技支出占公共财政支出的比重(%)", "fiscal_st_share"),
    ("一般公共预算支出(公共财政支出)", "general_budget_expenditure"),   # a bracket that is part of the name
    ("一般公共预算支出(公共财政支出)(万元)", "general_budget_expenditure"),
    ("省级以上创新园区(基地)", "provincial_innovation_parks"),
    ("省级以上创新园区(基地)数", "provincial_innovation_parks"),
    ("规模以上工业企业R&D经费支出", "enterprise_rd_expenditure"),
    ("规模以上工业企业Ｒ＆Ｄ经费支出（万元）", "enterprise_rd_expenditure"),
    ("高新技术企业数(家)", "high_tech_enterprises"),
    ("常住人口(万人)", "resident_population"),
    ("GDP", "gdp"),
])
def test_other_aliases(cat, name, code):
    assert cat.indicator_code(name) == code


@pytest.mark.parametrize("name, code", [
    ("其中：科学技术支出", "fiscal_st_expenditure"),        # a sub-item of 一般公共预算支出 in budget tables
    ("其中:科学技术支出(亿元)", "fiscal_st_expenditure"),
    ("#科学技术支出", "fiscal_st_expenditure"),
    ("高新技术企业数*", "high_tech_enterprises"),            # a footnote mark
    ("科学技术支出（亿元）※", "fiscal_st_expenditure"),
    ("其中", None),
    ("*", None),
])
def test_sub_item_prefix_and_footnote_mark(cat, name, code):
    assert cat.indicator_code(name) == code


def test_split_unit_drops_a_footnote_mark():
    # the unit must still be found, or 0.152 亿元 would be read as 0.152 万元
    assert split_unit("科学技术支出(亿元)*") == ("科学技术支出", "亿元")


@pytest.mark.parametrize("name", ["科学技术支出(吨)", "科技创新指数", "", "其他支出"])
def test_unmapped_indicator_is_none(cat, name):
    # A bracket that is not a known unit is not stripped: 科学技术支出(吨) is not 科学技术支出.
    assert cat.indicator_code(name) is None


def test_catalogue_columns_and_dimensions(cat):
    assert cat.canonical_unit("fiscal_st_expenditure") == "万元"
    assert cat.dimension("fiscal_st_expenditure") == "money"
    assert cat.dimension("fiscal_st_share") == "share"
    assert cat.dimension("resident_population") == "population"
    assert cat.dimension("high_tech_per_1000_firms") == "per_1000_firms"
    assert cat.name("fiscal_st_expenditure") == "地方财政科技支出"
    assert cat.name("fiscal_st_expenditure", "en") == "Local fiscal S&T expenditure"
    assert cat.codes[0] == "fiscal_st_expenditure"


def test_formulas_of_derived_indicators(cat):
    derived = cat.derived()
    assert derived["fiscal_st_share"] == Formula("fiscal_st_expenditure", "general_budget_expenditure", 100.0)
    assert derived["high_tech_per_1000_firms"] == Formula("high_tech_enterprises", "registered_enterprises", 1000.0)
    assert derived["invention_patents_per_10k"] == Formula("effective_invention_patents", "resident_population", 1.0)
    assert cat.formula("fiscal_st_expenditure") is None


# ------------------------------------------------------------------------------------------ units
@pytest.mark.parametrize("unit, code, factor", [
    ("元", "fiscal_st_expenditure", 0.0001),
    ("千元", "fiscal_st_expenditure", 0.1),
    ("万元", "fiscal_st_expenditure", 1.0),
    ("亿元", "fiscal_st_expenditure", 10000.0),
    ("%", "fiscal_st_share", 1.0),
    ("％", "fiscal_st_share", 1.0),
    ("‰", "fiscal_st_share", 0.1),
    ("人", "resident_population", 0.0001),
    ("万人", "resident_population", 1.0),
    ("家", "high_tech_enterprises", 1.0),
    ("个", "high_tech_enterprises", 1.0),
    ("件", "effective_invention_patents", 1.0),
    ("家/千家", "high_tech_per_1000_firms", 1.0),
    ("件/万人", "invention_patents_per_10k", 1.0),
])
def test_unit_factor(cat, unit, code, factor):
    assert cat.unit_factor(unit, code) == factor


@pytest.mark.parametrize("value, unit, code, expected", [
    (1.2345, "亿元", "fiscal_st_expenditure", 12345.0),      # 1.2345 × 10000
    (12345.0, "元", "fiscal_st_expenditure", 1.2345),        # 12345 / 10000, exactly
    (1185000.0, "千元", "industrial_revenue", 118500.0),     # 1185000 / 10
    (309121.0, "人", "resident_population", 30.9121),        # census 2020: 309121 / 10000
    (5.2, "‰", "fiscal_st_share", 0.52),                     # 5.2 / 10
])
def test_conversion_to_canonical_unit(cat, value, unit, code, expected):
    assert scale(value, cat.unit_factor(unit, code)) == expected


@pytest.mark.parametrize("unit, code", [("亿元", "high_tech_enterprises"), ("%", "fiscal_st_expenditure"),
                                        ("人", "fiscal_st_expenditure"), ("吨", "fiscal_st_expenditure"),
                                        ("家", "invention_patents_per_10k")])
def test_unit_factor_none_for_other_dimension_or_unknown(cat, unit, code):
    assert cat.unit_factor(unit, code) is None


def test_unit_dimension(cat):
    assert cat.unit_dimension("亿元") == "money"
    assert cat.unit_dimension("‰") == "share"
    assert cat.unit_dimension("吨") is None


MONEY = ["元", "千元", "万元", "百万元", "亿元"]


@settings(max_examples=150, deadline=None)
@given(st.floats(min_value=0, max_value=1e9, allow_nan=False), st.sampled_from(MONEY), st.sampled_from(MONEY))
def test_property_money_round_trip_between_units(x, a, b):
    cat = load_catalogue()
    code = "fiscal_st_expenditure"
    fa, fb = cat.unit_factor(a, code), cat.unit_factor(b, code)
    in_b = scale(scale(x, fa), 1 / fb)                  # a → 万元 → b
    assert scale(scale(in_b, fb), 1 / fa) == pytest.approx(x, rel=1e-12)
    # composition: the factor a → b is the quotient of the factors to the canonical unit
    assert scale(x, fa) == pytest.approx(scale(in_b, fb), rel=1e-12)


@settings(max_examples=100, deadline=None)
@given(st.floats(min_value=0, max_value=1e7, allow_nan=False))
def test_property_yuan_via_qianyuan_equals_direct(x):
    cat = load_catalogue()
    code = "fiscal_st_expenditure"
    # 元 → 千元 is ×0.001: 0.0001 / 0.1; then 千元 → 万元 ×0.1
    via = scale(scale(x, cat.unit_factor("元", code) / cat.unit_factor("千元", code)), cat.unit_factor("千元", code))
    assert via == pytest.approx(scale(x, cat.unit_factor("元", code)), rel=1e-12)


# --------------------------------------------------------------------------------------- counties
@pytest.mark.parametrize("name", ["灵寿", "灵寿县", "石家庄市灵寿县", "河北省石家庄市灵寿县", "河北省灵寿县", " 灵寿县 ",
                                  "石家庄灵寿县"])
def test_lingshou_name_variants(cat, name):
    assert cat.county_name(name) == "灵寿县"
    assert cat.resolve_county(name) == "灵寿县"


@pytest.mark.parametrize("name, county", [
    ("鹿泉市", "石家庄市鹿泉区"),      # explicit alias: the name before 2014
    ("鹿泉", "石家庄市鹿泉区"),
    ("石家庄市辛集市", "辛集市"),
    ("辛集", "辛集市"),
    ("井陉", "井陉县"),
    ("井陉矿区", "石家庄市井陉矿区"),
    ("赵县", "赵县"),
])
def test_other_county_names(cat, name, county):
    assert cat.county_name(name) == county


def test_one_character_stem_is_not_an_alias(cat):
    # 赵县 without 县 would be 赵, far too short to be a name
    assert cat.county_name("赵") is None


def test_unknown_county_names_the_alias_table(cat):
    assert cat.county_name("灵丘县") is None
    with pytest.raises(MappingError, match=r"未知县名 '灵丘县'（最接近的：[^）]*），请在 .*county_aliases\.csv 中添加别名.*"
                                           r"unknown county name '灵丘县' \(closest: [^)]*\): add an alias to .*county_aliases\.csv"):
        cat.resolve_county("灵丘县")


def test_unknown_county_names_a_given_table(cat):
    with pytest.raises(MappingError, match="add an alias to my_table.csv"):
        cat.resolve_county("灵丘县", table="my_table.csv")


def test_ambiguous_qiaoxi_names_every_option():
    # The register holds every county-level unit of Hebei: 桥西区 of 石家庄 and 张家口 today, and of 邢台 until
    # 2020 (renamed 信都区).
    c = load_catalogue()
    assert c.county_name("桥西区") is None
    assert c.ambiguous_county_aliases["桥西区"] == ["张家口市桥西区", "石家庄市桥西区", "邢台市信都区"]
    with pytest.raises(MappingError, match=r"县名 '桥西区' 有歧义（可能是 张家口市桥西区、石家庄市桥西区、"
                                           r"邢台市信都区（2020年前为邢台市桥西区））.*"
                                           r"county name '桥西区' is ambiguous \(张家口市桥西区、石家庄市桥西区、"
                                           r"邢台市信都区（2020年前为邢台市桥西区）\); "
                                           r"use the full name or add an alias to .*county_aliases\.csv"):
        c.resolve_county("桥西区")
    # the full names stay unique; the historical one maps to today's unit
    assert c.county_name("石家庄市桥西区") == "石家庄市桥西区"
    assert c.county_name("张家口市桥西区") == "张家口市桥西区"
    assert c.county_name("邢台市桥西区") == "邢台市信都区"
    assert c.county_history["邢台市桥西区"] == ("邢台市信都区", 2020)


def test_ambiguous_xinhua_and_the_prefecture_that_settles_it():
    c = load_catalogue()
    assert c.ambiguous_county_aliases["新华区"] == ["沧州市新华区", "石家庄市新华区"]
    assert c.county_name("新华区") is None
    assert c.county_name("新华区", prefecture="沧州市") == "沧州市新华区"
    assert c.county_name("新华区", prefecture="石家庄") == "石家庄市新华区"
    assert c.county_name("新华区", prefecture="保定市") is None


def test_unknown_county_gets_the_closest_names():
    c = load_catalogue()
    with pytest.raises(MappingError, match=r"未知县名 '灵丘县'（最接近的：灵寿县、内丘县）.*closest: 灵寿县, 内丘县"):
        c.resolve_county("灵丘县")


def test_every_evaluated_unit_of_hebei_is_known():
    c = load_catalogue()
    assert len(c.counties) == 167
    assert c.counties["prefecture"].value_counts()["石家庄市"] == 22
    for name in ("景县", "黄骅市", "渤海新区黄骅市", "衡水市冀州区", "大厂回族自治县", "定州市"):
        assert c.county_name(name) is not None, name


def test_repeated_county_in_the_register_is_refused(make_data_dir):
    folder = make_data_dir({}, reference={"counties.csv": bundled("counties.csv") + bundled("counties.csv").splitlines()[1] + "\n"})
    with pytest.raises(DataError, match=r"counties listed twice in .*counties\.csv: \['石家庄市长安区'\]"):
        load_catalogue(folder)


def test_explicit_alias_resolves_an_ambiguous_name(make_data_dir):
    folder = make_data_dir({}, reference={
        "aliases/county_aliases.csv": bundled("aliases/county_aliases.csv") + "桥西区,石家庄市桥西区,,our tables are 石家庄's\n",
    })
    c = load_catalogue(folder)
    assert c.county_name("桥西区") == "石家庄市桥西区"
    assert "桥西区" not in c.ambiguous_county_aliases


def test_bundled_qiaoxi_needs_its_prefecture(cat):
    # The register lists every unit of Hebei: bare 桥西区 is ambiguous; with its prefecture it is not.
    assert cat.county_name("桥西区") is None
    assert cat.county_name("桥西区", prefecture="石家庄市") == "石家庄市桥西区"


# ------------------------------------------------------------------------------------ table errors
def test_missing_reference_table(tmp_path):
    with pytest.raises(DataError, match=r"缺少参考表 .*nothing\.csv / reference table .*nothing\.csv is missing"):
        _read_csv(tmp_path / "nothing.csv", ["a"])


def test_reference_table_lacking_columns(make_data_dir):
    folder = make_data_dir({}, reference={"units.csv": "unit,dimension\n万元,money\n"})
    with pytest.raises(DataError, match=r"参考表 .*units\.csv 缺少列 \['factor'\] / reference table .*units\.csv lacks columns \['factor'\]"):
        load_catalogue(folder)


def _indicators_with(extra_line: str = "", replace: tuple[str, str] | None = None) -> str:
    text = bundled("indicators.csv")
    if replace:
        text = text.replace(*replace)
    return text + extra_line


def test_duplicate_indicator_code(make_data_dir):
    folder = make_data_dir({}, reference={"indicators.csv": _indicators_with("gdp,生产总值2,GDP 2,万元,context,,,,,,,\n")})
    with pytest.raises(DataError, match=r"指标目录 .*indicators\.csv 有误 / catalogue .* is invalid\n指标代码重复：\['gdp'\] / duplicate indicator codes: \['gdp'\]"):
        load_catalogue(folder)


def test_catalogue_unit_missing_from_units_table(make_data_dir):
    folder = make_data_dir({}, reference={"indicators.csv": _indicators_with("tons,吨数,Tons,吨,context,,,,,,,\n")})
    with pytest.raises(DataError, match=r"指标目录中的单位 \['吨'\] 不在 .*units\.csv 中 / catalogue units \['吨'\] are missing from"):
        load_catalogue(folder)


def test_unknown_indicator_kind(make_data_dir):
    folder = make_data_dir({}, reference={"indicators.csv": _indicators_with("x1,某指标,Some,万元,fancy,,,,,,,\n")})
    with pytest.raises(DataError, match=r"未知指标类型 \['fancy'\].*unknown indicator kinds \['fancy'\]"):
        load_catalogue(folder)


def test_unparseable_formula(make_data_dir):
    folder = make_data_dir({}, reference={"indicators.csv": _indicators_with(
        replace=("100*fiscal_st_expenditure/general_budget_expenditure", "fiscal_st_expenditure minus gdp"))})
    c = load_catalogue(folder)
    with pytest.raises(DataError, match=r"指标目录中 fiscal_st_share 的公式无法解析：'fiscal_st_expenditure minus gdp'.*"
                                        r"cannot parse the formula of fiscal_st_share in the catalogue"):
        c.derived()


def test_indicator_alias_to_unknown_code(make_data_dir):
    folder = make_data_dir({}, reference={"aliases/indicator_aliases.csv": "alias,code,note\n科技投入,st_input,\n"})
    with pytest.raises(DataError, match=r"indicator_aliases\.csv 中的别名指向未知指标代码 \['st_input'\] / aliases in .* point to unknown codes \['st_input'\]"):
        load_catalogue(folder)


def test_county_alias_to_unknown_county(make_data_dir):
    folder = make_data_dir({}, reference={"aliases/county_aliases.csv": "alias,county,note\n灵寿镇,灵寿市,\n"})
    with pytest.raises(DataError, match=r"county_aliases\.csv 中的别名 '灵寿镇' 指向未知县 '灵寿市' / alias '灵寿镇' in county_aliases\.csv points to unknown county '灵寿市'"):
        load_catalogue(folder)


def test_user_folder_falls_back_to_bundled_tables(make_data_dir, cat):
    c = load_catalogue(make_data_dir({}))
    assert c.codes == cat.codes
    assert c.sources["indicators"] == BUNDLED_RAW / "indicators.csv"


def test_every_code_resolves_to_itself(cat):
    for code in cat.codes:
        assert cat.indicator_code(code) == code


# ------------------------------------------------------------------------------------ departments
def test_department_names(cat):
    assert cat.department_name("县财政局", "en") == "County Finance Bureau"
    assert cat.department_name("县财政局", "zh") == "县财政局"
    assert cat.department_name("县某某局", "en") == "县某某局"          # no entry: kept as written
    with pytest.raises(ValueError):
        cat.department_name("县财政局", "fr")


def test_a_data_folder_can_add_department_names(make_data_dir):
    folder = make_data_dir({}, reference={"departments.csv": "name,name_en,note\n县科学技术局,County Science and Technology Bureau,\n"})
    c = load_catalogue(folder)
    assert c.department_name("县科学技术局", "en") == "County Science and Technology Bureau"
    assert c.department_name("县财政局", "en") == "县财政局"            # the folder's table replaces the bundled one


def test_bad_department_table_lists_every_problem(make_data_dir):
    folder = make_data_dir({}, reference={"departments.csv": "name,name_en\n县甲局,Bureau A\n县乙局,\n县甲局,Bureau A2\n ,x\n"})
    with pytest.raises(DataError) as info:
        load_catalogue(folder)
    message = str(info.value)
    assert "部门表" in message and "department table" in message and "departments.csv" in message
    assert "第 3 行：县乙局 的 name_en 为空 / row 3: empty name_en for 县乙局" in message
    assert "第 4 行：部门 县甲局 重复 / row 4: department 县甲局 repeated" in message
    assert "第 5 行：name 为空 / row 5: empty name" in message


def test_a_group_of_units_is_named_in_english_but_gets_no_form():
    from lingshou.data.catalogue import load_catalogue

    cat = load_catalogue()
    group = "科技创新工作领导小组成员单位"
    assert group in cat.department_groups and group not in cat.departments
    assert cat.department_name(group, "en") == "Member units of the S&T innovation leading group"
    assert "县财政局" in cat.departments and "县财政局" not in cat.department_groups
    assert cat.indicators.at["innovation_management", "responsible_units_en"] == "Member units of the S&T innovation leading group"
