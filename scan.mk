# `make scan`: checkov over every synthesized stack of envs/ and tests/fixtures/ (scripts/scan.py).
# Included by the Makefile, which defines PYTHON, PY and the `setup` target.
#
# checkov lives in its own venv, .venv-scan: checkov 3.3.30 pins boto3 1.35 / botocore 1.35 / packaging 23.2,
# which would downgrade what .venv needs (boto3 1.44 for moto, packaging 26). scripts/scan.py runs in .venv
# (it synthesizes with constructs_lib) and calls $(CHECKOV) as a program.
PYTHON ?= python3
PY ?= .venv/bin/python
CHECKOV_VERSION := 3.3.30
SCAN_VENV := .venv-scan
CHECKOV := $(SCAN_VENV)/bin/checkov
SCAN_STAMP := $(SCAN_VENV)/.installed-$(CHECKOV_VERSION)

# tests/test_scan.py and scripts/scan.py find checkov here
export CHECKOV := $(abspath $(CHECKOV))

.PHONY: scan scan-setup

scan-setup: $(SCAN_STAMP)

$(SCAN_STAMP):
	test -x $(SCAN_VENV)/bin/python || $(PYTHON) -m venv $(SCAN_VENV)
	$(SCAN_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(SCAN_VENV)/bin/python -m pip install --quiet checkov==$(CHECKOV_VERSION)
	rm -f $(SCAN_VENV)/.installed-*
	touch $@

# SCAN_OUTDIR=dir keeps the synthesized stacks, scan copies and checkov.json for inspection
scan: setup scan-setup
	$(PY) scripts/scan.py $(if $(SCAN_OUTDIR),--outdir $(SCAN_OUTDIR))
