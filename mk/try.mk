# Try it without an AWS account: the stacks of $(TRY_ENV) (bootstrap, then the services) applied to the local
# emulator the e2e uses (moto_server with its test-only shims, tests/e2e/), left running in the background until
# `make try-destroy`. Needs terraform and the provider mirror (tests/tf.py); says so and fails without them.
TRY_ENV ?= envs/dev.json
TRY_DIR ?= .try

.PHONY: try try-destroy

try: setup
	$(PY) scripts/try.py --dir $(TRY_DIR) up $(TRY_ENV)

try-destroy: $(STAMP)
	$(PY) scripts/try.py --dir $(TRY_DIR) down
