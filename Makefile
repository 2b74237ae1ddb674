# lingshou — two commands: `make report` (the yearly report from the bundled data) and `make test`.
# Needs only Python >= 3.11 and make; everything else is installed into .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
COUNTY ?= 灵寿县
YEAR   ?= latest

.PHONY: help install report test wheel-check notebooks lab build validate bench illustrative clean

help:
	@echo "make report    年度报告 yearly report ($(COUNTY), $(YEAR)) from the bundled data"
	@echo "make test      全部测试 every test (unit, property, notebooks via nbval, end to end)"
	@echo "make lab       在 JupyterLab 中打开笔记本 open the notebooks in JupyterLab"
	@echo "make notebooks 重新执行笔记本（更新 nbval 参照输出）re-execute notebooks in place"
	@echo "make bench     性能基准 benchmarks -> benchmarks/results.json"
	@echo "make wheel-check 构建 wheel，装入全新虚拟环境并在空文件夹中生成报告 build, install and run the wheel"

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python >= 3.11 is required"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

build: $(STAMP)
	$(BIN)/lingshou build

validate: $(STAMP)
	$(BIN)/lingshou validate

report: $(STAMP)
	$(BIN)/lingshou build
	$(BIN)/lingshou report --county $(COUNTY) --year $(YEAR)

test: $(STAMP)
	$(BIN)/lingshou build
	$(BIN)/python -m pytest

# The wheel as a user gets it: built, installed into a fresh venv (no checkout on its path), and run from an
# empty folder, where the report must land under ./reports.
WHEEL_DIR := build/wheel-check
wheel-check: $(STAMP)
	rm -rf build/lib build/bdist* $(WHEEL_DIR)
	$(BIN)/python -m pip wheel --quiet --no-deps --wheel-dir $(WHEEL_DIR) .
	$(PYTHON) -m venv $(WHEEL_DIR)/venv
	$(WHEEL_DIR)/venv/bin/python -m pip install --quiet $(WHEEL_DIR)/lingshou-*.whl
	mkdir -p $(WHEEL_DIR)/empty
	cd $(WHEEL_DIR)/empty && ../venv/bin/python -m lingshou --version
	cd $(WHEEL_DIR)/empty && ../venv/bin/lingshou build
	cd $(WHEEL_DIR)/empty && ../venv/bin/lingshou report --county $(COUNTY) --year 2022 --quiet
	test -s $(WHEEL_DIR)/empty/reports/$(COUNTY)_2022/report.pdf
	test -s $(WHEEL_DIR)/empty/data/processed/statistics.csv
	cd $(WHEEL_DIR)/empty && ../venv/bin/lingshou template --county $(COUNTY) --year 2025
	test -d $(WHEEL_DIR)/empty/reports/collection/$(COUNTY)_2025/templates
	@echo "wheel-check: ok ($(WHEEL_DIR)/empty/reports/$(COUNTY)_2022/report.pdf)"

notebooks: $(STAMP)
	$(BIN)/python -m lingshou.report.notebooks

# .jupyter/ holds the project's Lab settings (no news feed, no update check: a county intranet has no
# internet); JUPYTER_CONFIG_PATH adds it to the user's own settings instead of replacing them.
lab: $(STAMP)
	JUPYTER_CONFIG_PATH="$(CURDIR)/.jupyter$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}" $(BIN)/jupyter lab notebooks/

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

illustrative: $(STAMP)
	$(BIN)/python tools/make_illustrative.py

clean:
	rm -rf reports/notebooks reports/*_* .pytest_cache
