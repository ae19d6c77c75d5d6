"""The cdktf app `cdktf.json` names: every env file in envs/, one stack per service (as `make synth`), written
into cdktf's outdir by the same rules as the CLI's synth."""

import os
import sys
from pathlib import Path

from constructs_lib._jsii.engine import EngineError
from constructs_lib._jsii.fast_kernel import JSII_QUIET, import_fast, start_kernel_early

for name, value in JSII_QUIET.items():
    os.environ.setdefault(name, value)
start_kernel_early()  # Node starts while the config models load (an invalid env file stops it)

from constructs_lib.config import load_env_files  # noqa: E402
from constructs_lib.config import ConfigError  # noqa: E402

try:
    envs = load_env_files(sorted(Path(__file__).parent.joinpath("envs").glob("*.json")))
except ConfigError as error:
    print("\n".join(error.problems), file=sys.stderr)
    sys.exit(2)

from constructs_lib.stacks.output import OutdirError, write_outdir  # noqa: E402
from constructs_lib.stacks.signals import Interrupted  # noqa: E402

# Where cdktf's App() would write (`cdktf synth` sets CDKTF_OUTDIR); written as the CLI's synth writes: only
# our files are replaced, the user's Terraform files in the stack folders are kept (see output.py).
outdir = Path(os.environ.get("CDKTF_OUTDIR") or "cdktf.out")
try:
    app = import_fast("constructs_lib.stacks.app")
except EngineError as error:  # ECS_CDKTF_ENGINE names no engine, or one that is not installed
    print(f"{error}; nothing was written", file=sys.stderr)
    sys.exit(2)
try:
    write_outdir(outdir, lambda staging: app.build_app(envs, str(staging)).synth())
except OutdirError as error:
    print(f"{error}; nothing was written", file=sys.stderr)
    sys.exit(2)
except Interrupted as interrupted:
    sys.exit(128 + interrupted.signum)
