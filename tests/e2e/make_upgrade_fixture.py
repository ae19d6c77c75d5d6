"""Regenerate tests/e2e/fixtures/upgrade-v1/stacks: what the release before the environment stack synthesized.

The upgrade e2e (test_upgrade_e2e.py) applies these stacks as a user of that release had them, then upgrades. They are
checked in, not synthesized at test time, because the old code lives only in git history and CI clones may be
shallow. Run once, from the repository (it needs the full history and the shared .venv / node_modules):

    .venv/bin/python tests/e2e/make_upgrade_fixture.py

It checks the old release out into a temporary git worktree, runs that release's own `synth` on the fixture's env
file (PYTHONPATH pointing at the old tree, the same interpreter and jsii runtime) and copies each stack's
`cdk.tf.json` byte for byte. Nothing is edited: the env file's ids are those the e2e seeds (seed_env.py's custom
ids), so no placeholder needs substituting.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
FIXTURE = HERE / "fixtures" / "upgrade-v1"
ENV_FILE = FIXTURE / "upgrade.json"
# The last release whose service stacks created their own cluster and namespace: the parent of af714c3
# ("Environment stack: ..."), which moved them into the environment stack.
OLD_RELEASE = "fcba2c2"
QUIET = {"JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20", "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION": "1"}


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=REPO, check=True, capture_output=True, text=True).stdout


def synthesize_old_release(work: Path) -> Path:
    """The old release's `synth` of ENV_FILE into `work/out`; returns the stacks folder."""
    tree = work / "old"
    git("worktree", "add", "--detach", str(tree), OLD_RELEASE)
    try:
        (tree / "node_modules").symlink_to(REPO / "node_modules")  # the jsii runtime, as the shared venv uses it
        env = {**os.environ, **QUIET, "PYTHONPATH": str(tree)}
        subprocess.run(
            [sys.executable, "-m", "constructs_lib", "synth", str(ENV_FILE), "--outdir", str(work / "out")],
            cwd=tree,
            env=env,
            check=True,
        )
    finally:
        git("worktree", "remove", "--force", str(tree))
    return work / "out" / "stacks"


def main() -> None:
    commit = git("rev-parse", OLD_RELEASE).strip()
    with tempfile.TemporaryDirectory() as work:
        stacks = synthesize_old_release(Path(work))
        target = FIXTURE / "stacks"
        shutil.rmtree(target, ignore_errors=True)
        for stack in sorted(stacks.iterdir()):
            (target / stack.name).mkdir(parents=True)
            shutil.copyfile(stack / "cdk.tf.json", target / stack.name / "cdk.tf.json")
            print(f"{target / stack.name / 'cdk.tf.json'} from {commit}")


if __name__ == "__main__":
    main()
