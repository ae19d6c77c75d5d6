# The cdktf CLI (npm `cdktf-cli`, pinned exactly in package.json and package-lock.json).
# Included by the Makefile: `make setup` runs `npm ci` when node_modules is missing or the lockfile changed.
# Without Node.js the Python side still works; the CLI tests then skip with a loud line.
NPM ?= npm
NODE_STAMP := node_modules/.installed
HCL_OUTDIR ?= cdktf.hcl
# No telemetry, no version check, no plugin cache: `npx cdktf synth` needs neither network nor terraform.
CDKTF_QUIET := CHECKPOINT_DISABLE=1 DISABLE_VERSION_CHECK=1 CDKTF_DISABLE_PLUGIN_CACHE_ENV=1

.PHONY: setup-node synth-cli synth-hcl

ifneq ($(shell command -v $(NPM) 2>/dev/null),)
setup-node: $(NODE_STAMP)
else
setup-node:
	@echo "!!! $(NPM) not found: the cdktf CLI is not installed (install Node.js >= 20, then make setup) !!!"
endif

$(NODE_STAMP): package.json package-lock.json
	$(NPM) ci --no-audit --no-fund --loglevel=error
	touch $@

# The same stacks as `make synth`, through the real cdktf CLI (cdktf.json runs main.py with .venv/bin/python).
synth-cli: setup setup-node
	$(CDKTF_QUIET) npx --no cdktf synth --output $(OUTDIR)

# Plain HCL (.tf) instead of JSON: the way out of CDKTF.
synth-hcl: setup setup-node
	$(CDKTF_QUIET) npx --no cdktf synth --hcl --output $(HCL_OUTDIR)
