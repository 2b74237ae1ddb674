"""pyproject.toml and environment.yml list the same packages with the same bounds.

environment.yml is a conda-forge environment: a ``dependencies:`` list of ``name<bounds>`` entries, ``pip``,
and last a ``pip:`` section for what conda-forge lacks, ending with ``-e .`` (the project itself).  The
runtime dependencies and the ``test`` extra of pyproject.toml must all be there with identical bounds, and
nothing else (besides python and pip).
"""
from __future__ import annotations

import re
import tomllib

import pytest
import yaml
from conftest import REPO
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

_CONDA = re.compile(r"^\s*(?P<name>[A-Za-z0-9_.\-]+(?:\[[A-Za-z0-9_,\-]+\])?)\s*(?P<spec>.*?)\s*$")


#: conda-forge packages that are a PyPI package under another name (matplotlib-base: matplotlib without the
#: Qt back end a server does not need).
CONDA_NAMES = {"matplotlib-base": "matplotlib"}


def key(name: str) -> str:
    """Normalised package name (PEP 503), extras kept: ``Noto_CJK[sans]`` → ``noto-cjk[sans]``."""
    base, _, extras = name.partition("[")
    base = re.sub(r"[-_.]+", "-", base).lower()
    base = CONDA_NAMES.get(base, base)
    return f"{base}[{extras}" if extras else base


def pyproject_requirements(pyproject: dict) -> dict[str, SpecifierSet]:
    reqs = list(pyproject["project"]["dependencies"]) + list(pyproject["project"]["optional-dependencies"].get("test", []))
    out = {}
    for text in reqs:
        r = Requirement(text)
        name = r.name + (f"[{','.join(sorted(r.extras))}]" if r.extras else "")
        out[key(name)] = r.specifier
    return out


def environment_requirements(env: dict) -> tuple[dict[str, SpecifierSet], list[str]]:
    """Packages of an environment.yml (conda and pip sections together) and the problems of its shape."""
    problems = []
    if env.get("channels") != ["conda-forge"]:
        problems.append(f"channels must be [conda-forge], not {env.get('channels')!r}")
    deps = env.get("dependencies") or []
    if not deps or not isinstance(deps[-1], dict) or set(deps[-1]) != {"pip"}:
        problems.append("the dependencies must end with a `pip:` section")
        pip_section = []
    else:
        pip_section = list(deps[-1]["pip"] or [])
        if not pip_section or pip_section[-1] != "-e .":
            problems.append("the pip section must end with `-e .`")
        pip_section = pip_section[:-1] if pip_section and pip_section[-1] == "-e ." else pip_section
    conda = [d for d in deps if isinstance(d, str)]
    if "pip" not in conda:
        problems.append("`pip` itself must be listed among the conda dependencies")
    out = {}
    for entry in conda + pip_section:
        m = _CONDA.match(entry)
        if not m:
            problems.append(f"cannot read the entry {entry!r}")
            continue
        name = key(m.group("name"))
        if name in out:
            problems.append(f"{name} is listed twice")
        out[name] = SpecifierSet(m.group("spec").replace(" ", ""))
    return out, problems


def differences(pyproject: dict, env: dict) -> list[str]:
    """Every disagreement between the two files (empty when they agree)."""
    want = pyproject_requirements(pyproject)
    have, problems = environment_requirements(env)
    python = have.pop("python", None)
    have.pop("pip", None)
    lower = pyproject["project"]["requires-python"]
    if python is None:
        problems.append("python is not pinned in environment.yml")
    else:
        # the environment must offer the oldest Python the project supports, and nothing older
        floor = re.search(r">=\s*([0-9.]+)", lower).group(1)
        below = floor.rsplit(".", 1)[0] + "." + str(int(floor.rsplit(".", 1)[1]) - 1)
        if floor not in python or below in python:
            problems.append(f"python{python} does not start at requires-python {lower}")
        upper = {str(spec) for spec in SpecifierSet(lower) if spec.operator == "<"}
        if upper != {str(spec) for spec in python if spec.operator == "<"}:
            problems.append(f"python{python} does not end where requires-python {lower} does")
    for name in sorted(set(want) - set(have)):
        problems.append(f"{name} is in pyproject.toml but not in environment.yml")
    for name in sorted(set(have) - set(want)):
        problems.append(f"{name} is in environment.yml but not in pyproject.toml")
    for name in sorted(set(want) & set(have)):
        if want[name] != have[name]:
            problems.append(f"{name}: pyproject.toml says {want[name]}, environment.yml says {have[name]}")
    return problems


# ----------------------------------------------------------------------------------- the real files
def read_environment() -> dict:
    path = REPO / "environment.yml"
    assert path.is_file(), f"{path} is missing: the README promises a conda-forge environment file"
    env = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(env, dict), f"{path} is not a mapping"
    return env


def test_environment_yml_matches_pyproject():
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert differences(pyproject, read_environment()) == []


def test_environment_has_a_name():
    env = read_environment()
    assert isinstance(env.get("name"), str) and env["name"]


# ------------------------------------------------------------------------------ the checker itself
PYPROJECT = {"project": {"requires-python": ">=3.11,<3.14", "dependencies": ["pandas>=3.0,<4", "noto-cjk[sans]==0.0.1"],
                         "optional-dependencies": {"test": ["pytest>=8.3,<10"]}}}
ENV = {"name": "x", "channels": ["conda-forge"],
       "dependencies": ["python>=3.11,<3.14", "pandas >=3.0,<4", "pytest>=8.3,<10", "pip",
                        {"pip": ["noto-cjk[sans]==0.0.1", "-e ."]}]}


def test_checker_accepts_matching_files():
    assert differences(PYPROJECT, ENV) == []


@pytest.mark.parametrize("change, message", [
    (lambda e: e["dependencies"].remove("pytest>=8.3,<10"), "pytest is in pyproject.toml but not in environment.yml"),
    (lambda e: e["dependencies"].insert(0, "scipy>=1.13"), "scipy is in environment.yml but not in pyproject.toml"),
    (lambda e: e["dependencies"].__setitem__(1, "pandas>=2.2,<4"), "pandas: pyproject.toml says <4,>=3.0, environment.yml says <4,>=2.2"),
    (lambda e: e["dependencies"].__setitem__(0, "python>=3.10,<3.14"), "python<3.14,>=3.10 does not start at requires-python >=3.11,<3.14"),
    (lambda e: e["dependencies"].__setitem__(0, "python>=3.12,<3.14"), "python<3.14,>=3.12 does not start at requires-python >=3.11,<3.14"),
    (lambda e: e["dependencies"].pop(0), "python is not pinned in environment.yml"),
    (lambda e: e["dependencies"].__setitem__(0, "python>=3.11"), "python>=3.11 does not end where requires-python >=3.11,<3.14 does"),
    (lambda e: e["dependencies"].__setitem__(2, "matplotlib-base>=3.11,<4"), "matplotlib is in environment.yml but not in pyproject.toml"),
    (lambda e: e["dependencies"][-1]["pip"].pop(), "the pip section must end with `-e .`"),
    (lambda e: e["dependencies"].pop(), "the dependencies must end with a `pip:` section"),
    (lambda e: e["dependencies"].remove("pip"), "`pip` itself must be listed among the conda dependencies"),
    (lambda e: e.__setitem__("channels", ["defaults"]), "channels must be [conda-forge], not ['defaults']"),
    (lambda e: e["dependencies"][-1]["pip"].insert(0, "noto_cjk[sans]==0.0.2"), "noto-cjk[sans] is listed twice"),
])
def test_checker_finds_each_disagreement(change, message):
    env = yaml.safe_load(yaml.safe_dump(ENV))   # a deep copy
    change(env)
    assert message in differences(PYPROJECT, env)
