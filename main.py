"""The cdktf app `cdktf.json` names: every env file in envs/, one stack per service (as `make synth`)."""

import os
import sys
from pathlib import Path

from constructs_lib.fast_kernel import JSII_QUIET, import_fast, start_kernel_early

for name, value in JSII_QUIET.items():
    os.environ.setdefault(name, value)
start_kernel_early()  # Node starts while the config models load (an invalid env file stops it)

from constructs_lib.cli import load_env_files  # noqa: E402
from constructs_lib.config import ConfigError  # noqa: E402

try:
    envs = load_env_files(sorted(Path(__file__).parent.joinpath("envs").glob("*.json")))
except ConfigError as error:
    print("\n".join(error.problems), file=sys.stderr)
    sys.exit(2)

import_fast("constructs_lib.app").build_app(envs, None).synth()
