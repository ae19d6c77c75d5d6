"""Summaries, ratios, targets and the Markdown report of a benchmark run (no measuring here)."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from measure import Sample

MIB = 1024 * 1024


@dataclass
class Result:
    """All samples of one benchmark entry, or why it has none."""

    key: str
    label: str
    stacks: int | None = None  # stacks the command synthesizes (None: it synthesizes nothing)
    samples: list[Sample] = field(default_factory=list)
    skipped: str | None = None  # reason the entry did not run
    error: str | None = None  # the command failed

    @property
    def ok(self) -> bool:
        return bool(self.samples) and self.skipped is None and self.error is None

    @property
    def median_seconds(self) -> float:
        return statistics.median(s.wall_seconds for s in self.samples)

    @property
    def median_cpu_seconds(self) -> float:
        return statistics.median(s.cpu_seconds for s in self.samples)

    @property
    def median_peak_bytes(self) -> float:
        return statistics.median(s.peak_rss_bytes for s in self.samples)


@dataclass(frozen=True)
class Target:
    """A ratio between two entries and the bound it must meet; without a denominator, a bound on one entry's
    median time in seconds."""

    name: str
    numerator: str  # entry key
    denominator: str | None  # entry key; None: the numerator's own median (time only)
    metric: str  # "time" or "memory"
    limit: float
    at_most: bool = True  # ratio <= limit when True, ratio >= limit when False
    ours: bool = False  # a bar we set ourselves, shown beside the targets; `--strict` ignores it

    def ratio(self, results: dict[str, Result], metric: str | None = None) -> float | None:
        """The ratio of the medians; `metric` "cpu" gives a time target's ratio by CPU time instead."""
        top = results.get(self.numerator)
        bottom = top if self.denominator is None else results.get(self.denominator)
        if top is None or bottom is None or not (top.ok and bottom.ok):
            return None
        value: Callable[[Result], float] = {
            "time": lambda r: r.median_seconds,
            "cpu": lambda r: r.median_cpu_seconds,
            "memory": lambda r: r.median_peak_bytes,
        }[metric or self.metric]
        return value(top) if self.denominator is None else value(top) / value(bottom)

    def verdict(self, results: dict[str, Result]) -> str:
        ratio = self.ratio(results)
        if ratio is None:
            return "n/a"
        passed = ratio <= self.limit if self.at_most else ratio >= self.limit
        return "PASS" if passed else "FAIL"

    @property
    def bound(self) -> str:
        return f"{'<=' if self.at_most else '>='} {self.limit:g}{self.unit}"

    @property
    def unit(self) -> str:
        return " s" if self.denominator is None else "x"

    def show(self, value: float | None) -> str:
        return "n/a" if value is None else f"{value:.2f}{self.unit}"


@dataclass(frozen=True)
class Check:
    """A count a run must produce exactly (not timed), e.g. the plan jobs of a one-line change."""

    name: str
    value: int | None  # None: it could not be computed
    expected: int

    @property
    def verdict(self) -> str:
        return "n/a" if self.value is None else "PASS" if self.value == self.expected else "FAIL"


TARGETS = (
    Target("shipped envs / floor (time)", "shipped", "floor", "time", 1.3),
    Target("shipped envs / naive (time)", "shipped", "naive", "time", 0.35),
    Target("50 services / 1 service (time)", "ours-50", "ours-1", "time", 3.0),
    Target("AWS CDK 3x10 / ours 3x10 (time)", "awscdk-3x10", "ours-3x10", "time", 1.5, at_most=False),
    Target("shipped envs / floor (peak memory)", "shipped", "floor", "memory", 1.2),
    # What the library adds above the floor when the floor gets the same fast kernel start (our bar).
    Target("shipped envs / floor with our kernel start (time)", "shipped", "floor-fast", "time", 1.3, ours=True),
    # The scale scenario (bench/scale.py): 200 services x 3 environments.
    Target("600 stacks / floor (time)", "ours-3x200", "floor", "time", 12.0),
    Target("600 stacks / floor (peak memory)", "ours-3x200", "floor", "memory", 1.5),
    Target("changed on 600 stacks (time)", "changed-600", None, "time", 2.0),
)


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    info = {
        "cores": str(os.cpu_count()),
        "memory": "?",
        "cpu": platform.processor() or platform.machine(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
    }
    try:
        with open("/proc/meminfo") as meminfo:
            kib = int(meminfo.readline().split()[1])
        info["memory"] = f"{kib / 1024 / 1024:.1f} GiB"
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        info["node"] = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    except OSError:
        info["node"] = "not found"
    return info


def versions(python: str, awscdk_python: str | None, env: dict[str, str]) -> dict[str, str]:
    found = {}
    wanted = ((python, ["cdktf", "cdktf-cdktf-provider-aws", "jsii"]), (awscdk_python, ["aws-cdk-lib"]))
    for interpreter, packages in wanted:
        if not interpreter or not Path(interpreter).exists():
            continue
        code = (
            "import importlib.metadata as m, sys\n"
            "for p in sys.argv[1:]:\n"
            "    try: print(p, m.version(p))\n"
            "    except m.PackageNotFoundError: pass\n"
        )
        out = subprocess.run([interpreter, "-c", code, *packages], capture_output=True, text=True, env=env).stdout
        found.update(line.split(" ", 1) for line in out.splitlines() if " " in line)
    return found


def _fmt_ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}x"


def entries_table(results: Sequence[Result], floor_key: str = "floor") -> list[str]:
    by_key = {r.key: r for r in results}
    floor = by_key.get(floor_key)
    lines = [
        "| entry | stacks | median wall | min - max | median CPU | peak memory (median) | memory vs floor | runs |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        stacks = "-" if r.stacks is None else str(r.stacks)
        if not r.ok:
            why = (f"skipped: {r.skipped}" if r.skipped else f"error: {r.error}").replace("|", "\\|")
            lines.append(f"| {r.label} | {stacks} | {why} | | | | | 0 |")
            continue
        walls = [s.wall_seconds for s in r.samples]
        vs_floor = (
            _fmt_ratio(r.median_peak_bytes / floor.median_peak_bytes) if floor is not None and floor.ok else "n/a"
        )
        lines.append(
            f"| {r.label} | {stacks} | {r.median_seconds:.2f} s | {min(walls):.2f} - {max(walls):.2f} s "
            f"| {r.median_cpu_seconds:.2f} s | {r.median_peak_bytes / MIB:,.0f} MiB | {vs_floor} | {len(r.samples)} |"
        )
    return lines


def ratios_table(
    results: Sequence[Result], targets: Sequence[Target] = TARGETS, checks: Sequence[Check] = ()
) -> list[str]:
    by_key = {r.key: r for r in results}
    lines = ["| ratio | value | target | verdict | by CPU time (for reference) |", "|---|---:|---:|---|---:|"]
    for target in targets:
        by_cpu = target.show(target.ratio(by_key, "cpu")) if target.metric == "time" else "-"
        lines.append(
            f"| {target.name} | {target.show(target.ratio(by_key))} | {target.bound}{' (ours)' if target.ours else ''} "
            f"| {target.verdict(by_key)} "
            f"| {by_cpu} |"
        )
    for check in checks:
        value = "n/a" if check.value is None else str(check.value)
        lines.append(f"| {check.name} | {value} | = {check.expected} | {check.verdict} | - |")
    return lines


def samples_table(results: Sequence[Result]) -> list[str]:
    lines = [
        "| entry | wall (s), run by run | CPU (s), run by run | peak memory (MiB), run by run |",
        "|---|---|---|---|",
    ]
    for r in results:
        if r.ok:
            walls = ", ".join(f"{s.wall_seconds:.2f}" for s in r.samples)
            cpus = ", ".join(f"{s.cpu_seconds:.2f}" for s in r.samples)
            peaks = ", ".join(f"{s.peak_rss_bytes / MIB:,.0f}" for s in r.samples)
            lines.append(f"| {r.label} | {walls} | {cpus} | {peaks} |")
    return lines


def verdicts(
    results: Sequence[Result], targets: Sequence[Target] = TARGETS, checks: Sequence[Check] = ()
) -> dict[str, str]:
    by_key = {r.key: r for r in results}
    return {**{t.name: t.verdict(by_key) for t in targets if not t.ours}, **{c.name: c.verdict for c in checks}}


def markdown(
    results: Sequence[Result],
    *,
    reps: int,
    info: dict[str, str],
    versions: dict[str, str],
    when: datetime | None = None,
    notes: Sequence[str] = (),
    checks: Sequence[Check] = (),
) -> str:
    when = when or datetime.now(UTC)
    lines = [
        "# Synth benchmark results",
        "",
        f"Measured {when:%Y-%m-%d %H:%M} UTC by `make bench` (bench/run.py), {reps} runs of each command, "
        "alternated round-robin after one untimed warm-up run each.",
        "",
        f"Machine: {info.get('cores')} cores ({info.get('cpu')}), {info.get('memory')} memory, {info.get('os')}; "
        f"Python {info.get('python')}, Node {info.get('node')}.",
    ]
    if versions:
        lines.append("Packages: " + ", ".join(f"{name} {version}" for name, version in versions.items()) + ".")
    lines += [
        "",
        "Wall time is from start to exit of the command; CPU is the user + system time of the command and its "
        "children; peak memory is the sum of the peak resident set of every process of its tree (Python and the "
        "jsii Node processes). Medians over the runs. Targets are judged on wall time; the ratios by CPU time "
        "are shown too, as they move less when other work shares the machine.",
        "",
        *entries_table(results),
        "",
        "## Targets",
        "",
        *ratios_table(results, checks=checks),
        "",
    ]
    if notes:
        lines += ["## Notes", "", *[f"- {note}" for note in notes], ""]
    lines += ["## Every run", "", *samples_table(results), ""]
    return "\n".join(lines)
