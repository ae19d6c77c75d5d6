"""`terraform validate` of every stack synthesized from envs/ and from the test fixtures: no errors, no warnings.

Runs the provider of the local mirror (5.100): together with the typed 6.25 bindings used at synth time this
guards both ends of the `>= 5.100, < 7.0` constraint.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import ENVS, REPO
from tf import init_offline, require_terraform, validate

FIXTURES = REPO / "tests" / "fixtures"
ENV_FILES = sorted(ENVS.glob("*.json")) + sorted(FIXTURES.glob("*.json"))


@pytest.fixture(scope="module")
def stack_dirs(tmp_path_factory) -> list[Path]:
    require_terraform("terraform validate")
    from constructs_lib.cli.synth import synthesize
    from constructs_lib.config import load_env_files

    outdir = tmp_path_factory.mktemp("validate") / "cdktf.out"
    synthesize(load_env_files([p for p in ENV_FILES if not p.name.endswith(".schema.json")]), outdir)
    return sorted(p.parent for p in (outdir / "stacks").glob("*/cdk.tf.json"))


def _validated(stack_dir: Path) -> tuple[str, dict]:
    init_offline(stack_dir)
    return stack_dir.name, validate(stack_dir)


def test_every_stack_validates_without_errors_or_warnings(stack_dirs):
    assert len(stack_dirs) >= 6, [d.name for d in stack_dirs]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = dict(pool.map(_validated, stack_dirs))
    problems = {
        name: [f"{d['severity']}: {d['summary']} {d.get('detail', '')}" for d in result["diagnostics"]]
        for name, result in results.items()
        if not result["valid"] or result["warning_count"] or result["error_count"]
    }
    assert problems == {}
