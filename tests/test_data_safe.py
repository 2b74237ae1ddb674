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
