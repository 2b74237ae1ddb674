"""CSV files a spreadsheet may open: formulas made inert when written, the guard taken off when the suite reads."""
from __future__ import annotations

import pandas as pd

from lingshou.data.safe import FORMULA_TRIGGERS, read_table, unguard_text, write_table


def test_written_tables_hold_no_formula_and_read_back_as_written(tmp_path):
    frame = pd.DataFrame({"lead_unit": ["=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0", "@SUM(1)", "县财政局"],
                          "actual_text_zh": ["-4.0%（2024年）", "+9.2%（2023年）", "24", "B类"],
                          "value": [-4.0, 9.2, 24.0, 1.0]})
    path = write_table(frame, tmp_path / "t.csv")
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    # what a spreadsheet sees: every text that starts like a formula is quoted; numbers stay numbers
    for column in ("lead_unit", "actual_text_zh"):
        assert not raw[column].str.startswith(FORMULA_TRIGGERS).any()
    assert raw["lead_unit"][0] == "'=HYPERLINK(\"http://x\",\"y\")" and raw["value"][0] == "-4.0"
    # what the report reads back (the PDF prints -4.0%, not '-4.0%)
    pd.testing.assert_frame_equal(read_table(path), frame)


def test_the_index_is_written_and_neutralised_too(tmp_path):
    frame = pd.DataFrame({"n": [1]}, index=pd.Index(["=1+1"], name="county"))
    raw = pd.read_csv(write_table(frame, tmp_path / "i.csv", index=True), dtype=str)
    assert raw.to_dict("list") == {"county": ["'=1+1"], "n": ["1"]}


def test_unguard_only_removes_a_guard():
    assert unguard_text("'=1") == "=1"
    assert unguard_text("'quoted text'") == "'quoted text'"   # an apostrophe that guards nothing stays
    assert unguard_text(3.5) == 3.5


def test_frame_guards_exactly_what_the_cell_guard_guards():
    from lingshou.data.safe import neutralise_frame, neutralise_text, unguard_frame

    cells = ["=1+1", "  =SUM(A1)", "\u3000＋cmd", "－1", "@x", "\tx", "县财政局", "", "B类", "a=b", "'=1", None,
             float("nan"), 3.5, "'quoted'"]
    frame = pd.DataFrame({"mixed": cells})
    out = neutralise_frame(frame)
    assert out["mixed"].tolist()[:11] == [neutralise_text(c) for c in cells[:11]]
    assert out["mixed"].tolist()[:3] == ["'=1+1", "'  =SUM(A1)", "'\u3000＋cmd"]
    assert out["mixed"][3] == "'－1" and out["mixed"][6] == "县财政局" and out["mixed"][10] == "'=1"   # idempotent: text guarded already is left
    assert out["mixed"][11] is None and pd.isna(out["mixed"][12]) and out["mixed"][13] == 3.5
    assert frame["mixed"][0] == "=1+1"                                   # a copy: the input is untouched
    back = unguard_frame(out.copy())
    assert back["mixed"].tolist()[:10] == cells[:10] and back["mixed"][14] == "'quoted'"
    assert back["mixed"][10] == "=1"     # a text written as '=1 reads as the =1 it guards (as read_table reads it)
    empty = pd.DataFrame({"t": pd.Series([], dtype=object)})
    assert neutralise_frame(empty).empty and unguard_frame(empty).empty


def test_a_column_of_lists_is_written_with_its_text_guarded(tmp_path):
    from lingshou.data.safe import neutralise_frame

    frame = pd.DataFrame({"mixed": [["=1", "a"], "=2", "县财政局"]})
    out = neutralise_frame(frame)
    assert out["mixed"].tolist() == [["=1", "a"], "'=2", "县财政局"]
