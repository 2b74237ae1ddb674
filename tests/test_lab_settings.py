"""The project's JupyterLab settings: no news feed and no update check (a county intranet has no internet).

Checked end to end once by hand (2026-12-03): with ``make lab``'s JUPYTER_CONFIG_PATH the page config says
``"news": {"disabled": true}`` and /lab/api/update answers ``{"notification": null}``; without it, news on.
"""
import json
from importlib import import_module

from conftest import REPO


def test_lab_settings_turn_off_news_and_update_checks():
    config = json.loads((REPO / ".jupyter" / "jupyter_lab_config.json").read_text(encoding="utf-8"))["LabApp"]
    assert config["news_url"] is None
    module, _, name = config["check_for_updates_class"].rpartition(".")
    checker = getattr(import_module(module), name)
    from jupyterlab.handlers.announcements import CheckForUpdateABC
    assert issubclass(checker, CheckForUpdateABC) and name == "NeverCheckForUpdate"


def test_make_lab_uses_them():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert 'JUPYTER_CONFIG_PATH="$(CURDIR)/.jupyter' in makefile
