"""The cdktf app `cdktf.json` names: every env file in envs/, one stack per service (as `make synth`)."""

import os
import sys
from pathlib import Path

from constructs_lib.cli import JSII_QUIET, load_env_files
from constructs_lib.config import ConfigError

for name, value in JSII_QUIET.items():
    os.environ.setdefault(name, value)

try:
    envs = load_env_files(sorted(Path(__file__).parent.joinpath("envs").glob("*.json")))
except ConfigError as error:
    print("\n".join(error.problems), file=sys.stderr)
    sys.exit(2)

from constructs_lib.fast_bindings import skip_binding_type_checks  # noqa: E402
from constructs_lib.fast_kernel import fast_kernel_start  # noqa: E402

with fast_kernel_start():  # after validation: bad input never starts jsii
    from cdktf import App

    from constructs_lib.app import add_service_stacks

skip_binding_type_checks()

app = App()
add_service_stacks(app, envs)
app.synth()
