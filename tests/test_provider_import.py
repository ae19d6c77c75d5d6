"""`constructs_lib.aws` loads only the provider submodules it uses, and stays correct whether a consumer
imports the provider package the usual way before or after it."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import REPO

SYNTH_ONE_STACK = """
import sys
{before}
from constructs_lib.cli import load_env_files
from constructs_lib.app import build_app
from cdktf import Testing
{after}
app = build_app(load_env_files(["envs/dev.json"]), "/tmp/unused")
stack = app.node.find_child("dev-app-service")
sys.stdout.write(Testing.synth(stack))
"""

COUNT_SUBMODULES = """
import sys
import constructs_lib.aws
print(sum(1 for name in sys.modules if name.startswith("cdktf_cdktf_provider_aws.")))
"""


def run_python(code: str) -> str:
    env = {**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"}
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_only_the_used_submodules_are_imported():
    count = int(run_python(COUNT_SUBMODULES))
    assert 10 < count < 60, count


def test_same_json_whether_the_provider_package_is_imported_before_or_after():
    usual_first = run_python(SYNTH_ONE_STACK.format(
        before="import cdktf_cdktf_provider_aws as aws\nassert aws.s3_bucket.S3Bucket", after=""))
    lazy_first = run_python(SYNTH_ONE_STACK.format(
        before="", after="import cdktf_cdktf_provider_aws as aws\nassert aws.s3_bucket.S3Bucket\nassert aws.ecs_service.EcsService"))
    assert usual_first == lazy_first
    assert '"aws_ecs_service"' in usual_first
