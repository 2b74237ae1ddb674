"""The store of results a batch's counties share (lingshou.data.store): keys, round trips, refusals."""
import json
import math

import numpy as np
import pandas as pd
import pytest

from lingshou.data.store import content_key, read_entry, remember, write_entry


def frame():
    out = pd.DataFrame({"score": [70.5, 61.25, math.nan], "rank": [1, 2, 3], "grade": ["B", "B", None],
                        "assumed": [True, False, True]}, index=pd.Index(["甲县", "乙县", "丙县"], name="county"))
    out.attrs = {"n_sims": 100, "rules": ["benchmark_ratio"]}
    return out


def test_round_trip_keeps_values_types_index_and_attrs(tmp_path):
    value = {"table": frame(), "numbers": {"share": 0.25, "ok": True, "names": ["a", "b"], "none": None}}
    back = read_entry(write_entry(tmp_path / "e", value))
    pd.testing.assert_frame_equal(back["table"], value["table"], check_exact=True)
    assert back["table"].attrs == {"n_sims": 100, "rules": ["benchmark_ratio"]}
    assert back["numbers"] == value["numbers"]
    assert str(back["table"]["grade"].dtype) == str(frame()["grade"].dtype)
    assert pd.isna(back["table"].at["丙县", "grade"])
    manifest = json.loads((tmp_path / "e" / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest) == {"tables", "values"}


def test_remember_computes_once_per_inputs(tmp_path):
    calls = []

    def compute():
        calls.append(1)
        return {"table": frame()}

    first = remember(tmp_path, "u", (frame(), {"a": 1}), compute)
    second = remember(tmp_path, "u", (frame(), {"a": 1}), compute)
    assert len(calls) == 1
    pd.testing.assert_frame_equal(first["table"], second["table"], check_exact=True)
    remember(tmp_path, "u", (frame(), {"a": 2}), compute)           # another input: another entry
    assert len(calls) == 2 and len([p for p in tmp_path.iterdir() if p.name.startswith("u-")]) == 2
    remember(None, "u", (), compute)                                   # no folder: always computed
    remember(None, "u", (), compute)
    assert len(calls) == 4


def test_key_follows_every_input():
    base = content_key(frame(), {"points": [1.0, 2.0]}, 10_000, 1)
    changed = frame()
    changed.iloc[0, 0] = 70.50000001
    assert content_key(changed, {"points": [1.0, 2.0]}, 10_000, 1) != base
    assert content_key(frame().rename(index={"甲县": "丁县"}), {"points": [1.0, 2.0]}, 10_000, 1) != base
    assert content_key(frame(), {"points": [1.0, 2.5]}, 10_000, 1) != base
    assert content_key(frame(), {"points": [1.0, 2.0]}, 10_000, 2) != base
    assert content_key(frame(), {"points": [1.0, 2.0]}, 10_000, 1) == base
    assert content_key(1) != content_key(1.0) != content_key("1")
    assert content_key({"m": frame()}) == content_key({"m": frame()})  # a table inside a model
    assert content_key(np.arange(3)) != content_key(np.arange(3.0))


def test_unhashable_and_unstorable_values_are_refused(tmp_path):
    with pytest.raises(TypeError, match="content_key cannot hash a set"):
        content_key({1, 2})
    with pytest.raises(TypeError, match=r"column 'mixed' holds \['int'\] values: only numbers, booleans and text"):
        write_entry(tmp_path / "a", {"t": pd.DataFrame({"mixed": ["x", 1]})})
    with pytest.raises(TypeError, match="value 'f' is neither a DataFrame nor JSON"):
        write_entry(tmp_path / "b", {"f": {1, 2}})
    with pytest.raises(TypeError, match="value 't' would not read back identical"):
        write_entry(tmp_path / "c", {"t": (1, 2)})                   # JSON would give a list
    with pytest.raises(TypeError, match="a stored table needs text column names and a simple index"):
        write_entry(tmp_path / "d", {"t": pd.DataFrame({0: [1.0]})})
    with pytest.raises(TypeError, match="the attrs of table 't' would not read back identical"):
        write_entry(tmp_path / "e", {"t": _with_attrs({"k": (1,)})})
    with pytest.raises(TypeError, match="a stored value must be a dict with text keys"):
        write_entry(tmp_path / "f", [1])
    assert [p.name for p in tmp_path.iterdir()] == []                  # nothing half-written


def _with_attrs(attrs):
    out = pd.DataFrame({"x": [1.0]})
    out.attrs = attrs
    return out


def test_an_entry_written_meanwhile_is_kept(tmp_path):
    entry = tmp_path / "e"
    write_entry(entry, {"n": 1})
    write_entry(entry, {"n": 2})                                        # another worker finished first
    assert read_entry(entry) == {"n": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["e"]
