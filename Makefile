# Every target sets up .venv itself when it is missing or pyproject.toml changed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
OUTDIR ?= cdktf.out
ENV_FILES := $(wildcard envs/*.json)

export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: setup setup-graphviz synth validate e2e lint test clean

setup: $(STAMP) setup-node

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

synth: $(STAMP)
	$(PY) -m constructs_lib synth $(ENV_FILES) --outdir $(OUTDIR)

# terraform init (offline, local provider mirror) + terraform validate of every stack of envs/ and tests/fixtures/.
validate: setup
	$(PY) -m pytest tests/test_terraform_validate.py

# Graphviz renders `diagram` as SVG/PNG (Debian's graphviz); without it `diagram` writes Mermaid. Best effort.
setup-graphviz:
	@command -v dot >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
		&& (apt-get install -y -qq graphviz >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq graphviz >/dev/null)) ; } \
		|| echo "!!! graphviz not installed: diagram falls back to Mermaid and its SVG/PNG tests are skipped !!!"

# Plan, apply, re-plan, lock and destroy against moto_server with the real terraform (also part of `make test`).
e2e: setup
	$(PY) -m pytest -m e2e tests/e2e

# The package's habits: ruff (lint and format) and mypy --strict (it ships py.typed, so its types must be true);
# the tests, the bench and the scripts are linted too (a repeated key in a test's expected dict hid what it checked).
lint: $(STAMP)
	$(VENV)/bin/ruff check constructs_lib tests bench/*.py bench/tests scripts
	$(VENV)/bin/ruff format --check constructs_lib
	$(VENV)/bin/mypy

# The snapshots once more with every speed trick off (constructs_lib/_jsii/fast.py): the same bytes. Then the
# tests of both engines on CDK Terrain (mk/cdktn.mk); tests/test_engines.py compares the engines' output.
test: setup scan-setup setup-graphviz setup-cdktn lint
	$(PY) -m pytest
	ECS_CDKTF_FAST=off $(PY) -m pytest tests/test_snapshots.py
	$(CDKTN_PY) -m pytest $(CDKTN_TESTS)

clean:
	rm -rf $(OUTDIR) .pytest_cache

include mk/node.mk
include mk/cdktn.mk
include scan.mk
include bench/bench.mk
include mk/try.mk
