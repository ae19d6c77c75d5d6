"""The synth benchmark: time and peak memory of our synth against its floor, the naive import and AWS CDK.

    .venv/bin/python bench/run.py [--reps 5] [--only floor,naive,...] [--results bench/RESULTS.md]

Runs every entry once untimed (warm caches, checks it works and writes the stacks it should), then `--reps`
rounds; each round runs every entry once, starting one entry later than the round before, so slow drift of
the machine spreads over all entries alike. Prints the Markdown report and writes it to `--results`.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import gen_envs  # noqa: E402
import measure  # noqa: E402
import report  # noqa: E402
import scale  # noqa: E402

from constructs_lib._jsii.fast_kernel import JSII_QUIET  # noqa: E402

OUTDIR = "{outdir}"  # placeholder in a command, replaced by a fresh, not yet existing folder per run
KEYS = ("floor", "floor-fast", "naive", "shipped", "shipped-cold", "ours-1", "ours-10", "ours-50", "ours-3x10",
        "awscdk-3x10", *scale.KEYS)


@dataclass
class Entry:
    key: str
    label: str
    command: list[str]
    stacks: int | None = None  # stacks the command must write (checked on the warm-up run)
    output: str | None = None  # "cdktf" (OUTDIR/stacks/*/cdk.tf.json) or "cloudformation" (OUTDIR/*.template.json)
    cold_code_cache: bool = False  # each run starts with an empty kernel code cache (see constructs_lib/_jsii/fast_kernel.py)


def count_stacks(outdir: Path, output: str) -> int:
    if output == "cdktf":
        return len(list(outdir.glob("stacks/*/cdk.tf.json")))
    return len(list(outdir.glob("*.template.json")))


def shipped_env_files() -> list[Path]:
    """envs/*.json that are env files (a JSON Schema beside them is not)."""
    files = []
    for path in sorted((ROOT / "envs").glob("*.json")):
        try:
            if "services" in json.loads(path.read_text()):
                files.append(path)
        except ValueError:
            continue
    return files


def stacks_of(files: Sequence[str | Path]) -> int:
    """The stacks synth writes for these env files: one per service, worker and scheduled task, plus each file's
    environment stack (the one that owns its clusters, log key, access-log bucket and web ACL)."""
    count = 0
    for path in files:
        data = json.loads(Path(path).read_text())
        count += 1 + sum(len(data.get(kind, [])) for kind in ("services", "workers", "scheduled_tasks"))
    return count


def build_entries(python: str, synth: list[str], awscdk_python: str, workdir: Path) -> list[Entry]:
    generated = {}
    for name, (environments, services) in {
        "1": (["dev"], 1),
        "10": (["dev"], 10),
        "50": (["dev"], 50),
        "3x10": (["dev", "staging", "prod"], 10),
    }.items():
        generated[name] = [str(p) for p in gen_envs.write_envs(workdir / "envs" / name, environments, services)]
    shipped = shipped_env_files()
    scale_files = scale.env_files(workdir)

    def ours(files: Sequence[str | Path]) -> list[str]:
        return [*synth, *map(str, files), "--outdir", OUTDIR]

    synth_shipped = ours([p.relative_to(ROOT) for p in shipped])

    return [
        Entry("floor", "floor: import cdktf + provider jsii assembly", [python, str(BENCH / "floor.py")]),
        Entry(
            "floor-fast",
            "floor, with our kernel start (pipelined loads, warm code cache)",
            [python, str(BENCH / "floor.py"), "--fast-kernel"],
        ),
        Entry(
            "naive",
            "naive: import cdktf, cdktf_cdktf_provider_aws",
            [python, "-c", "import cdktf, cdktf_cdktf_provider_aws"],
        ),
        Entry(
            "shipped",
            f"ours: shipped envs/ ({', '.join(p.name for p in shipped) or 'none'})",
            synth_shipped,
            stacks_of(shipped),
            "cdktf",
        ),
        Entry(
            "shipped-cold",
            "ours: shipped envs/, first synth on a machine (empty code cache)",
            synth_shipped,
            stacks_of(shipped),
            "cdktf",
            cold_code_cache=True,
        ),
        Entry("ours-1", "ours: 1 service", ours(generated["1"]), stacks_of(generated["1"]), "cdktf"),
        Entry("ours-10", "ours: 10 services", ours(generated["10"]), stacks_of(generated["10"]), "cdktf"),
        Entry("ours-50", "ours: 50 services", ours(generated["50"]), stacks_of(generated["50"]), "cdktf"),
        Entry("ours-3x10", "ours: 3 envs x 10 services", ours(generated["3x10"]), stacks_of(generated["3x10"]), "cdktf"),
        Entry(
            "awscdk-3x10",
            "AWS CDK: 3 envs x 10 services",
            [awscdk_python, str(BENCH / "awscdk_app.py"), "--outdir", OUTDIR, *generated["3x10"]],
            30,
            "cloudformation",
        ),
        Entry("ours-3x200", "ours: 3 envs x 200 services", ours(scale_files), stacks_of(scale_files), "cdktf"),
        Entry(
            "changed-600", "changed: 600 stacks, one line of one service changed", scale.changed_command(python, workdir)
        ),
    ]


def run_once(entry: Entry, workdir: Path, env: dict[str, str], run_id: str) -> measure.Sample:
    outdir = workdir / "out" / f"{entry.key}-{run_id}"
    command = [str(outdir) if part == OUTDIR else part for part in entry.command]
    code_cache = workdir / "code-cache" / f"{entry.key}-{run_id}"
    if entry.cold_code_cache:
        env = {**env, "ECS_CDKTF_CODE_CACHE": str(code_cache)}
    try:
        sample = measure.run(command, cwd=ROOT, env=env)
        if entry.output is not None:
            written = count_stacks(outdir, entry.output)
            if written != entry.stacks:
                raise measure.CommandFailed(None, f"wrote {written} stacks, expected {entry.stacks}")
        return sample
    finally:
        shutil.rmtree(outdir, ignore_errors=True)
        shutil.rmtree(code_cache, ignore_errors=True)


def probe(command: list[str], env: dict[str, str]) -> str | None:
    """None when the command exits 0, else the last line of its output."""
    try:
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as problem:
        return str(problem)
    if done.returncode == 0:
        return None
    lines = (done.stderr or done.stdout).strip().splitlines()
    return lines[-1] if lines else f"exit {done.returncode}"


def default_python() -> str:
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Synth speed and memory benchmark (see bench/README.md)")
    parser.add_argument("--reps", type=int, default=5, help="timed runs of each command (default 5)")
    parser.add_argument("--only", help=f"comma-separated entries to run, of: {','.join(KEYS)}")
    parser.add_argument("--python", default=default_python(), help="interpreter with cdktf and the library")
    parser.add_argument(
        "--synth-cmd",
        default="{python} -m constructs_lib synth",
        help="our synth command before ENV_FILE... --outdir DIR (default: %(default)s)",
    )
    parser.add_argument("--awscdk-python", default=str(BENCH / ".venv-awscdk" / "bin" / "python"))
    parser.add_argument("--no-awscdk", action="store_true", help="skip the AWS CDK entry")
    parser.add_argument("--results", default=str(BENCH / "RESULTS.md"), help="report file; '-' writes none")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target fails")
    return parser.parse_args(argv)


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds: the running command is killed and the work folder removed


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if threading.current_thread() is not threading.main_thread():
        return bench(args)
    previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        return bench(args)
    finally:
        signal.signal(signal.SIGTERM, previous)


def bench(args: argparse.Namespace) -> int:
    env = {**os.environ, **JSII_QUIET}
    synth = shlex.split(args.synth_cmd.format(python=args.python))
    workdir = Path(tempfile.mkdtemp(prefix="ecs-cdktf-bench-"))
    notes = []
    try:
        entries = build_entries(args.python, synth, args.awscdk_python, workdir)
        if args.only:
            wanted = set(args.only.split(","))
            if wanted - set(KEYS):
                raise SystemExit(f"unknown entries: {', '.join(sorted(wanted - set(KEYS)))}")
            entries = [e for e in entries if e.key in wanted]
        results = {e.key: report.Result(e.key, e.label, e.stacks) for e in entries}

        skip: dict[str, str] = {}
        for e in entries:
            if e.key.startswith("shipped") and not e.stacks:
                skip[e.key] = "no env file in envs/"
        if any(e.key.startswith(("shipped", "ours-", "changed-")) for e in entries):
            problem = probe([*synth, "--help"], env)
            if problem:
                for e in entries:
                    if e.key.startswith(("shipped", "ours-", "changed-")):
                        skip.setdefault(e.key, f"our synth CLI is not available ({problem})")
        if args.no_awscdk:
            skip["awscdk-3x10"] = "--no-awscdk"
        elif not Path(args.awscdk_python).exists():
            skip["awscdk-3x10"] = f"no {args.awscdk_python} (make bench creates it; needs PyPI)"
        for key, reason in skip.items():
            if key in results:
                results[key].skipped = reason
                notes.append(f"{results[key].label}: skipped, {reason}.")

        live = [e for e in entries if results[e.key].skipped is None]
        checks = (
            scale.plan_jobs_check(args.python, synth, workdir, env, results["changed-600"])
            if any(entry.key == "changed-600" for entry in live) else []
        )
        live = [e for e in live if results[e.key].error is None]
        for entry in live:  # warm-up: bytecode and page caches, and a check that the command works
            print(f"warm-up  {entry.key} ...", file=sys.stderr, flush=True)
            try:
                run_once(entry, workdir, env, "warmup")
            except measure.CommandFailed as failure:
                results[entry.key].error = failure.summary[:300]
                print(failure, file=sys.stderr)
        live = [e for e in live if results[e.key].error is None]
        load_before = os.getloadavg()
        for rep in range(args.reps):
            shift = rep % len(live) if live else 0
            for entry in live[shift:] + live[:shift]:
                if results[entry.key].error:
                    continue
                try:
                    sample = run_once(entry, workdir, env, str(rep))
                except measure.CommandFailed as failure:
                    results[entry.key].error = f"run {rep + 1}: {failure.summary[:300]}"
                    print(failure, file=sys.stderr)
                    continue
                results[entry.key].samples.append(sample)
                print(
                    f"run {rep + 1}/{args.reps}  {entry.key:12} {sample.wall_seconds:7.2f} s "
                    f"{sample.cpu_seconds:7.2f} s CPU {sample.peak_rss_bytes / report.MIB:7,.0f} MiB",
                    file=sys.stderr,
                    flush=True,
                )
        load_after = os.getloadavg()
        notes.append(
            f"1-minute load average {load_before[0]:.2f} before the timed runs, {load_after[0]:.2f} after "
            f"(each command itself keeps about 1-2 cores busy; much more means something else ran)."
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    ordered = [results[e.key] for e in entries]
    text = report.markdown(
        ordered,
        reps=args.reps,
        info=report.machine(),
        versions=report.versions(args.python, None if args.no_awscdk else args.awscdk_python, env),
        notes=notes,
        checks=checks,
    )
    print(text)
    if args.results != "-":
        Path(args.results).write_text(text)
        print(f"written to {args.results}", file=sys.stderr)
    if any(r.error for r in ordered):
        return 1
    if args.strict and "FAIL" in report.verdicts(ordered, checks=checks).values():
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
