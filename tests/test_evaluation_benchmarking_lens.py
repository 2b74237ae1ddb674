"""Among whom: the peer set of the benchmarking and the ranks within the county's prefecture."""
from __future__ import annotations

import pandas as pd
import pytest

from lingshou.data.catalogue import load_catalogue
from lingshou.errors import ParameterError
from lingshou.evaluation.benchmarking import choose_peers, lens_columns, prefecture_table, rank_phrase


@pytest.fixture(scope="module")
def cat():
    return load_catalogue()


@pytest.fixture(scope="module")
def province(cat):
    return list(cat.counties.index)


def test_the_whole_province_is_said_to_be_the_province(cat, province):
    peers = choose_peers(province, "灵寿县", cat, "province")
    assert peers.n == 167 and peers.whole_province
    assert peers.label == {"zh": "全省167个县（市、区）", "en": "the province's 167 counties"}


def test_a_partial_folder_is_not_called_the_province(cat):
    peers = choose_peers(["灵寿县", "平山县", "景县"], "灵寿县", cat, "province")
    assert not peers.whole_province and peers.label["zh"] == "数据中的3个县（市、区）（不是全省）"


def test_the_prefecture_lens(cat, province):
    peers = choose_peers(province, "灵寿县", cat, "prefecture")
    assert peers.n == 22 and "辛集市" in peers.counties and "景县" not in peers.counties
    assert peers.label == {"zh": "石家庄市22个县（市、区）", "en": "the 22 counties of 石家庄市"}


def test_peers_from_a_file(cat, province, tmp_path):
    path = tmp_path / "山区县.csv"
    path.write_text("county\n灵寿\n平山县\n赞皇县\n", encoding="utf-8")
    peers = choose_peers(province, "灵寿县", cat, str(path))
    assert set(peers.counties) == {"灵寿县", "平山县", "赞皇县"} and peers.label["zh"] == "山区县中的3个县（市、区）"


@pytest.mark.parametrize("content, message", [
    ("name\n灵寿县\n", r"no county column"),
    ("county\n灵寿县\n灵丘县\n", r"unknown county names \['灵丘县'\]"),
    ("county\n平山县\n", r"does not list 灵寿县"),
])
def test_bad_peer_files(cat, province, tmp_path, content, message):
    path = tmp_path / "p.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ParameterError, match=message):
        choose_peers(province, "灵寿县", cat, str(path))


def test_unknown_choice_and_county_without_data(cat, province):
    with pytest.raises(ParameterError, match=r"peers must be province or prefecture or a file listing counties"):
        choose_peers(province, "灵寿县", cat, "nation")
    with pytest.raises(ParameterError, match=r"灵寿县 is not among the counties that can be scored"):
        choose_peers(["平山县"], "灵寿县", cat)


def test_rank_within_the_prefecture_by_hand(cat):
    table = pd.DataFrame({"county": ["石家庄市长安区", "景县", "灵寿县", "枣强县", "平山县"],
                          "score": [90.0, 85.0, 70.0, 70.0, 60.0]})
    peers = choose_peers(table["county"], "灵寿县", cat, "province")
    out = lens_columns(table, cat, peers)
    # 石家庄: 长安 90 (1), 灵寿 70 (2), 平山 60 (3); 衡水: 景县 85 (1), 枣强 70 (2)
    assert out["prefecture_rank"].tolist() == [1, 1, 2, 2, 3]
    assert out["prefecture_n"].tolist() == [3, 2, 3, 2, 3]
    assert prefecture_table(out, "灵寿县")["county"].tolist() == ["石家庄市长安区", "灵寿县", "平山县"]
    assert rank_phrase(2, {"zh": "石家庄市3个县（市、区）", "en": "the 3 counties of 石家庄市"}, "zh") == "石家庄市3个县（市、区）中第2位"
