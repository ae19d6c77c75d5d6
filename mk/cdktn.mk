# CDK Terrain (cdktn), the maintained fork of CDKTF, as the second engine. Included by the Makefile.
# .venv-cdktn holds CDK Terrain and ecs-cdktf (--no-deps: no cdktf there, so CDK Terrain is the engine) and
# .node-cdktn the `cdktn` CLI, both pinned exactly in cdktn-engine/. `make test` runs the synth, snapshot,
# validate and scan tests on it too, and tests/test_engines.py compares the two engines' output.
CDKTN_VENV := .venv-cdktn
CDKTN_PY := $(CDKTN_VENV)/bin/python
CDKTN_STAMP := $(CDKTN_VENV)/.installed
CDKTN_NODE := .node-cdktn
CDKTN_NODE_STAMP := $(CDKTN_NODE)/.installed
CDKTN_OUTDIR ?= cdktn.out
# The tests that run on both engines (the rest of the suite runs on cdktf, the default; tests/test_engines.py and
# tests/test_cdktf_cli.py, run from .venv, synthesize on both and run the `cdktn` CLI).
CDKTN_TESTS := tests/test_snapshots.py tests/test_terraform_validate.py tests/test_scan.py tests/test_provider_import.py

.PHONY: setup-cdktn test-cdktn synth-cdktn synth-cdktn-cli

setup-cdktn: $(CDKTN_STAMP) $(CDKTN_NODE_STAMP)

$(CDKTN_STAMP): cdktn-engine/requirements.txt pyproject.toml
	test -x $(CDKTN_PY) || $(PYTHON) -m venv $(CDKTN_VENV)
	$(CDKTN_PY) -m pip install --quiet --upgrade pip
	$(CDKTN_PY) -m pip install --quiet -r cdktn-engine/requirements.txt
	$(CDKTN_PY) -m pip install --quiet --no-deps -e .
	touch $@

ifneq ($(shell command -v $(NPM) 2>/dev/null),)
$(CDKTN_NODE_STAMP): cdktn-engine/package.json cdktn-engine/package-lock.json
	mkdir -p $(CDKTN_NODE)
	cp cdktn-engine/package.json cdktn-engine/package-lock.json $(CDKTN_NODE)/
	$(NPM) ci --prefix $(CDKTN_NODE) --no-audit --no-fund --loglevel=error
	touch $@
else
$(CDKTN_NODE_STAMP):
	@echo "!!! $(NPM) not found: the cdktn CLI is not installed (install Node.js >= 20, then make setup-cdktn) !!!"
endif

# The tests of both engines, on CDK Terrain (also part of `make test`).
test-cdktn: setup-cdktn scan-setup
	$(CDKTN_PY) -m pytest $(CDKTN_TESTS)

# `make synth` on CDK Terrain.
synth-cdktn: $(CDKTN_STAMP)
	$(CDKTN_PY) -m constructs_lib synth $(ENV_FILES) --outdir $(CDKTN_OUTDIR)

# The same stacks through the real `cdktn` CLI, which reads cdktf.json; its app runs on .venv-cdktn. The CLI needs
# Node.js >= 22.19: .node-cdktn holds one, put first on PATH.
synth-cdktn-cli: setup-cdktn
	PATH="$(abspath $(CDKTN_NODE))/node_modules/.bin:$$PATH" $(CDKTF_QUIET) cdktn synth --app "$(CDKTN_PY) main.py" \
		--output $(CDKTN_OUTDIR)
