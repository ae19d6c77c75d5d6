"""`constructs_lib._jsii.aws` loads only the provider submodules it uses, and stays correct whether a consumer
imports the provider package the usual way before or after it."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import REPO

from constructs_lib._jsii import engine
from constructs_lib._jsii.fast_kernel import JSII_QUIET

PROVIDER = engine.selected().provider  # the engine's package: cdktf_cdktf_provider_aws or cdktn_provider_aws

SYNTH_ONE_STACK = """
import sys
{before}
from constructs_lib.config import load_env_files
from constructs_lib.stacks.app import build_app
from cdktf import Testing
{after}
app = build_app(load_env_files(["envs/dev.json"]), "/tmp/unused")
stack = app.node.find_child("dev-app-service")
sys.stdout.write(Testing.synth(stack))
"""

LOADED_SUBMODULES = """
import sys
from constructs_lib._jsii import aws, engine
provider = engine.selected().provider
print(" ".join(sorted(aws.CLASSES)))
print(" ".join(sorted({n.split(".")[1] for n in sys.modules if n.startswith(provider + ".")})))
"""


def run_python(code: str) -> str:
    env = {**os.environ, **JSII_QUIET}
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_only_the_used_submodules_are_imported():
    used, loaded = (set(line.split()) for line in run_python(LOADED_SUBMODULES).splitlines())
    assert loaded == used | {"_jsii"}
    assert len(used) < 100  # of ~1,500


def test_same_json_whether_the_provider_package_is_imported_before_or_after():
    usual_first = run_python(SYNTH_ONE_STACK.format(
        before=f"import {PROVIDER} as aws\nassert aws.s3_bucket.S3Bucket", after=""))
    lazy_first = run_python(SYNTH_ONE_STACK.format(
        before="", after=f"import {PROVIDER} as aws\nassert aws.s3_bucket.S3Bucket\nassert aws.ecs_service.EcsService"))
    assert usual_first == lazy_first
    assert '"aws_ecs_service"' in usual_first
