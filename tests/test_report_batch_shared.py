"""A batch on warm kernels with its shared results writes what single reports write, byte for byte."""
import json
from pathlib import Path

import pytest

from lingshou.report.batch import report_all
from lingshou.report.make import make_report

COUNTIES = ["灵寿县", "正定县"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    batch, single = tmp_path_factory.mktemp("batch"), tmp_path_factory.mktemp("single")
    outcomes = report_all(2024, counties=COUNTIES, out_dir=batch, jobs=1, kernels=1, stream=None)
    assert [o.exit_code for o in outcomes] == [0, 0], [o.message for o in outcomes]
    for county in COUNTIES:
        make_report(county, 2024, out_dir=single, progress=False, stream=None)
    return batch, single


def files(folder: Path, pattern: str) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.glob(pattern))}


@pytest.mark.parametrize("county", COUNTIES)
def test_batch_tables_are_the_single_run_tables(runs, county):
    batch, single = runs
    ours, theirs = files(batch / f"{county}_2024", "tables/*.csv"), files(single / f"{county}_2024", "tables/*.csv")
    assert len(ours) >= 10 and ours.keys() == theirs.keys()
    assert [name for name in ours if ours[name] != theirs[name]] == []


@pytest.mark.parametrize("county", COUNTIES)
def test_batch_numbers_are_the_single_run_numbers(runs, county):
    batch, single = runs
    ours = json.loads((batch / f"{county}_2024" / "run.json").read_text(encoding="utf-8"))["numbers"]
    theirs = json.loads((single / f"{county}_2024" / "run.json").read_text(encoding="utf-8"))["numbers"]
    assert ours == theirs


def test_shared_results_are_stored_once(runs):
    batch, _ = runs
    shared = batch / "batch_2024.shared"
    names = sorted(p.name.split("-")[0] for p in shared.iterdir())
    assert names == ["calibration", "earlier_years", "monte_carlo", "monte_carlo_peer_p90"]  # one entry each: both counties had the same inputs
    assert all((p / "manifest.json").is_file() for p in shared.iterdir())
    record = json.loads((batch / "batch_2024.json").read_text(encoding="utf-8"))
    assert record["shared_dir"] == str(shared)
    params = json.loads((batch / "正定县_2024" / "run.json").read_text(encoding="utf-8"))["parameters"]["params"]
    assert params["shared_dir"] == str(shared)
