# The synth benchmark (see bench/README.md). Included by the top-level Makefile, which provides `setup`
# (the project's .venv), PY and PYTHON; the defaults below let this file also run alone with `make -f`.
PYTHON ?= python3
PY ?= .venv/bin/python
BENCH_SETUP ?= setup
BENCH_REPS ?= 5
BENCH_ARGS ?=
AWSCDK_VENV := bench/.venv-awscdk
AWSCDK_STAMP := $(AWSCDK_VENV)/.installed
# jsii as pyproject.toml pins it (its one place), so the AWS CDK app runs on the same jsii runtime as ours.
JSII_REQUIREMENT = $(shell $(PYTHON) -c 'import tomllib; print(*[d for d in tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"] if d.startswith("jsii==")])')

.PHONY: bench bench-awscdk

# The AWS CDK venv is best effort: without it (no PyPI) the AWS CDK entry is reported as skipped.
bench: $(BENCH_SETUP)
	@$(MAKE) --no-print-directory -f $(firstword $(MAKEFILE_LIST)) bench-awscdk \
		|| echo "bench: could not set up $(AWSCDK_VENV); the AWS CDK entry will be skipped"
	JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1 \
		$(PY) bench/run.py --reps $(BENCH_REPS) $(BENCH_ARGS)

bench-awscdk: $(AWSCDK_STAMP)

$(AWSCDK_STAMP): bench/requirements-awscdk.txt pyproject.toml
	test -n '$(JSII_REQUIREMENT)'
	test -x $(AWSCDK_VENV)/bin/python || $(PYTHON) -m venv $(AWSCDK_VENV)
	$(AWSCDK_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r bench/requirements-awscdk.txt \
		'$(JSII_REQUIREMENT)'
	touch $@
