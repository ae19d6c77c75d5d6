"""Snapshots of every shipped env file's stacks: the resource addresses (a public contract: a changed address
makes Terraform destroy and recreate a resource) and the whole JSON (every drift shows in review).

Update on purpose only: `.venv/bin/python -m pytest tests/test_snapshots.py --snapshot-update`, and say why.
The snapshots are cdktf's output; `make test` runs this module on CDK Terrain too, where the stacks must be the
same apart from the engine version in their metadata (tests/engines.py).
"""

from __future__ import annotations

import json

import pytest
from conftest import ENVS, addresses, iam_wildcards
from engines import as_written_by
from syrupy.extensions.json import JSONSnapshotExtension

ENV_FILES = sorted(p.name for p in ENVS.glob("*.json") if not p.name.endswith(".schema.json"))


@pytest.fixture(scope="module")
def shipped_stacks(tmp_path_factory) -> dict[str, dict]:
    from constructs_lib.cli.synth import synthesize
    from constructs_lib.config import load_env_files

    outdir = tmp_path_factory.mktemp("shipped") / "cdktf.out"
    synthesize(load_env_files([ENVS / name for name in ENV_FILES]), outdir)
    return {p.parent.name: json.loads(p.read_text()) for p in sorted((outdir / "stacks").glob("*/cdk.tf.json"))}


@pytest.fixture
def json_snapshot(snapshot):
    return snapshot.use_extension(JSONSnapshotExtension)


def test_every_shipped_env_file_has_a_snapshot(shipped_stacks):
    assert ENV_FILES, "envs/ holds no env files"
    environments = {json.loads((ENVS / name).read_text())["environment"] for name in ENV_FILES}
    assert {stack.split("-", 1)[0] for stack in shipped_stacks} == environments


@pytest.mark.parametrize("env_file", ENV_FILES)
def test_resource_addresses_are_pinned(shipped_stacks, env_file, snapshot):
    environment = json.loads((ENVS / env_file).read_text())["environment"]
    pinned = {name: addresses(doc) for name, doc in shipped_stacks.items() if name.split("-", 1)[0] == environment}
    assert pinned == snapshot


@pytest.mark.parametrize("env_file", ENV_FILES)
def test_full_stack_json_is_pinned(shipped_stacks, env_file, json_snapshot):
    environment = json.loads((ENVS / env_file).read_text())["environment"]
    stacks = {name: as_written_by(doc, "cdktf") for name, doc in shipped_stacks.items()
              if name.split("-", 1)[0] == environment}
    assert stacks == json_snapshot


def test_every_wildcard_in_a_shipped_policy_is_one_the_library_builds(shipped_stacks):
    wildcards = [w for document in shipped_stacks.values() for w in iam_wildcards(document)]
    assert {sid for sid, _, _ in wildcards} >= {"EcrAuthorization", "DecryptSecrets", "Logs", "Secrets"}
    assert [(sid, resource) for sid, resource, by_library in wildcards if not by_library] == []
