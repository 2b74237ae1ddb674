"""The public API of ``import lingshou``: every listed name resolves, and importing the package stays cheap."""
from __future__ import annotations

import subprocess
import sys

import pytest

import lingshou


@pytest.mark.parametrize("name", lingshou.__all__)
def test_every_public_name_resolves(name):
    assert getattr(lingshou, name) is not None


def test_public_names_are_the_stage_objects():
    from lingshou.analysis.gap.table import analyse_gaps
    from lingshou.data.validate import load_statistics

    assert lingshou.analyse_gaps is analyse_gaps
    assert lingshou.load_statistics is load_statistics


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nonexistent'"):
        lingshou.nonexistent  # noqa: B018


def test_dir_lists_the_api():
    assert set(dir(lingshou)) == set(lingshou.__all__)


def test_import_is_cheap():
    # The command line imports lingshou first: pandas and matplotlib load only when a name needs them.
    code = "import sys, lingshou; print(sorted(m for m in ('pandas', 'matplotlib', 'numpy') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
