"""The scale scenario: 200 services in each of 3 environments (dev, staging, prod), 600 stacks.

A platform repository of that size must still synthesize in reasonable time and memory, and its CI must plan only
what a change touches. Three figures:
- `ours-3x200`: our synth of the 600 stacks (targets: <= 12x the floor's time, <= 1.5x its peak memory);
- `changed-600`: `python -m constructs_lib changed OLD NEW --json` between two synth outputs of the 600 stacks that
  differ by one line of one service in one env file, the command CI runs before planning (target: <= 2 s);
- the plan jobs CI starts for that change: the batches `changed --json` gives (must be 1).
The two outdirs `changed` compares are synthesized once, before the warm-up runs (`prepare`).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import gen_envs
import report

ENVIRONMENTS = ("dev", "staging", "prod")
SERVICES = 200
CHANGED_ENV, CHANGED_SERVICE = "staging", 100  # the one line that changes: staging app100's desired_count
KEYS = ("ours-3x200", "changed-600")


def env_files(workdir: Path) -> list[Path]:
    return gen_envs.write_envs(workdir / "envs" / "3x200", list(ENVIRONMENTS), SERVICES)


def one_line_changed(files: Sequence[Path], folder: Path, service: int = CHANGED_SERVICE) -> list[Path]:
    """Copies of `files` in `folder`, one line of one service (the `service`-th of CHANGED_ENV) changed, written as
    gen_envs writes them, so the files differ by exactly that line."""
    folder.mkdir(parents=True, exist_ok=True)
    copies = []
    for path in files:
        data = json.loads(path.read_text())
        if data["environment"] == CHANGED_ENV:
            data["services"][service - 1]["desired_count"] += 1
        copy = folder / path.name
        copy.write_text(json.dumps(data, indent=2) + "\n")
        copies.append(copy)
    return copies


def outdirs(workdir: Path) -> tuple[Path, Path]:
    """The synth outputs `changed` compares: before and after the one-line change."""
    return workdir / "scale" / "old", workdir / "scale" / "new"


def changed_command(python: str, workdir: Path) -> list[str]:
    old, new = outdirs(workdir)
    return [python, "-m", "constructs_lib", "changed", str(old), str(new), "--order", ",".join(ENVIRONMENTS), "--json"]


def prepare(python: str, synth: Sequence[str], workdir: Path, env: Mapping[str, str]) -> int:
    """Synthesize both outdirs; return how many plan jobs `changed --json` gives for the change. Raises
    subprocess.CalledProcessError when a synth or `changed` fails."""
    files = env_files(workdir)
    old, new = outdirs(workdir)
    for env_paths, outdir in ((files, old), (one_line_changed(files, workdir / "envs" / "3x200-changed"), new)):
        subprocess.run([*synth, *map(str, env_paths), "--outdir", str(outdir)], env=dict(env), check=True,
                       capture_output=True, text=True)
    done = subprocess.run(changed_command(python, workdir), env=dict(env), check=True, capture_output=True, text=True)
    return len(json.loads(done.stdout)["include"])


def plan_jobs_check(
    python: str, synth: Sequence[str], workdir: Path, env: Mapping[str, str], result: report.Result
) -> list[report.Check]:
    """Prepare the `changed-600` entry; its plan-jobs check. A failure is recorded as the entry's error."""
    print("prepare  changed-600: two synths of 600 stacks ...", file=sys.stderr, flush=True)
    try:
        jobs: int | None = prepare(python, synth, workdir, env)
    except subprocess.CalledProcessError as failure:
        lines = (failure.stderr or failure.stdout or "").strip().splitlines()
        result.error = f"preparing: exited {failure.returncode}: {lines[-1] if lines else ''}"[:300]
        jobs = None
    return [report.Check("plan jobs for a one-line change in one service (600 stacks)", jobs, 1)]
