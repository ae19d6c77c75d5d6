#!/usr/bin/env python3
"""Checkov scan of every synthesized stack: `make scan`, `python scripts/scan.py [ENV_FILE...] [--outdir DIR]`.

Synthesizes the service stacks (and the state-bucket bootstrap stacks) of the env files (default: envs/*.json and
tests/fixtures/*.json) into a temporary folder, writes a scan-only copy of each cdk.tf.json, runs checkov once
over all copies and exits non-zero unless every check of every stack passed.

checkov fails silently on CDKTF output in several ways; each has a guard here:

1. it finds cdk.tf.json only with `--framework terraform_json` (we always pass it);
2. a plain string under `terraform` (`required_version`) makes its parser drop the whole file as a parsing
   error, and it still exits 0 (bridgecrewio/checkov#7454): the scan copy drops such strings;
3. container definitions held as a JSON string are invisible to CKV_AWS_336 and friends (they report nothing):
   the scan copy expands them into objects, and a string that is not JSON fails the scan. Expanded, checkov
   wraps each value in a list and its container checks test truthiness, so an explicit
   `"readonlyRootFilesystem": false` reads as `[False]`, i.e. true, and passes: the copy drops `false` values
   from each container (absent means false for every boolean container field but `essential`, which is kept);
4. offline it hangs or errors downloading its guidelines: `--skip-download`;
5. CKV_AWS_260/24/25 treat an `aws_vpc_security_group_ingress_rule` whose source is
   `referenced_security_group_id` as open to the world (bridgecrewio/checkov#6624): the scan copy adds the
   equivalent `source_security_group_id` they do understand (a 0.0.0.0/0 rule is still caught);
6. CKV2_AWS_5 (a security group must be attached to something) does not count an `aws_scheduler_schedule`'s ECS
   target, whose tasks run in the group, though it counts the same target of an EventBridge rule: the scan copy
   adds, per schedule, the `aws_cloudwatch_event_target` equivalent of its ECS target (same subnets and groups).
7. CKV_AWS_378 (no HTTP target group) counts only listeners that reference a target group, not listener rules:
   the scan copy gives each listener a reference to its rules' target groups (an HTTP listener still fails). A
   rule on an environment's shared ALB sits on a listener the service stack looks up (`data.aws_lb_listener` at
   port 443, which the environment stack makes HTTPS, scanned there): the copy adds that listener as a resource.
8. its parser takes every top-level block as an object and drops the whole file as a parsing error on the lists
   that hold `removed` and `import` blocks (Terraform >= 1.7; the environment stack migration): the scan copy
   drops those lists, which declare no resource to check.

The JSON report is parsed: the scan fails on any parsing error, when nothing was checked, when a stack got no
result at all, and on any failed check. Skips live in .checkov.yaml (inline skips do not work in tf.json).

Exit codes: 0 clean; 1 findings or a silent checkov failure; 2 bad input, checkov missing or crashed.
"""

from __future__ import annotations

import argparse
import copy
import glob
import inspect
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from constructs_lib._jsii.fast_kernel import JSII_QUIET

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ENV_GLOBS = ("envs/*.json", "tests/fixtures/*.json")
DEFAULT_CONFIG = ROOT / ".checkov.yaml"
SCAN_VENV_CHECKOV = ROOT / ".venv-scan" / "bin" / "checkov"
STACK_FILE = "cdk.tf.json"

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

# jsii prints a Node end-of-life banner unless these are set before it starts
for _name, _value in JSII_QUIET.items():
    os.environ.setdefault(_name, _value)


class ScanError(Exception):
    """The scan could not run or checkov failed silently: one line for the user."""


# --------------------------------------------------------------------------- scan copies

KEEP_FALSE = {"essential"}
MOVE_BLOCKS = ("removed", "import")  # top-level lists checkov cannot parse  # container fields whose absence does not mean false


def make_scan_copy(document: dict[str, Any]) -> dict[str, Any]:
    """The stack as checkov can read it. Raises ScanError when a container definition string is not JSON."""
    doc = copy.deepcopy(document)
    terraform = doc.get("terraform")
    if isinstance(terraform, dict):
        # guard 2 (checkov#7454): every non-block value under `terraform` (required_version, ...)
        for key in [key for key, value in terraform.items() if not isinstance(value, (dict, list)) and key != "//"]:
            del terraform[key]
    for block in MOVE_BLOCKS:  # guard 8
        doc.pop(block, None)
    resources = doc.get("resource", {})
    for name, task in resources.get("aws_ecs_task_definition", {}).items():
        if name == "//" or not isinstance(task, dict):
            continue
        definitions = task.get("container_definitions")
        if isinstance(definitions, str):  # guard 3
            try:
                definitions = json.loads(definitions)
            except json.JSONDecodeError as error:
                raise ScanError(
                    f"aws_ecs_task_definition.{name}: container_definitions is not a JSON string ({error}); "
                    "checkov could not check the containers"
                ) from None
        if isinstance(definitions, list):
            task["container_definitions"] = [
                {key: value for key, value in container.items() if value is not False or key in KEEP_FALSE}
                if isinstance(container, dict) else container
                for container in definitions
            ]
    for name, rule in resources.get("aws_vpc_security_group_ingress_rule", {}).items():
        # guard 5 (checkov#6624): the source is another security group, not the world
        if name != "//" and isinstance(rule, dict) and "referenced_security_group_id" in rule:
            rule.setdefault("source_security_group_id", rule["referenced_security_group_id"])
    for name, schedule in list(resources.get("aws_scheduler_schedule", {}).items()):
        ecs = schedule.get("target", {}).get("ecs_parameters") if isinstance(schedule, dict) else None
        if isinstance(ecs, dict) and isinstance(ecs.get("network_configuration"), dict):  # guard 6
            resources.setdefault("aws_cloudwatch_event_target", {})[f"{name}_scan_equivalent"] = {
                "rule": f"{name}-scan-equivalent", "arn": schedule["target"].get("arn"),
                "ecs_target": {"task_definition_arn": ecs.get("task_definition_arn"),
                               "network_configuration": ecs["network_configuration"]},
            }
    _connect_rule_targets(resources, doc.get("data") or {})
    return doc


def _connect_rule_targets(resources: dict[str, Any], data: dict[str, Any]) -> None:
    """guard 7: CKV_AWS_378 passes an HTTP target group only when an `aws_lb_listener` references it, not a listener
    rule: the listener each rule sits on gets a reference to the rule's target groups (its protocol still decides)."""
    for name, rule in resources.get("aws_lb_listener_rule", {}).items():
        if name == "//" or not isinstance(rule, dict):
            continue
        listener = str(rule.get("listener_arn", "")).removesuffix(".arn}")
        if listener.startswith("${data.aws_lb_listener."):
            listener = _environment_listener(resources, data, listener.removeprefix("${data.aws_lb_listener."))
        listener = listener.removeprefix("${aws_lb_listener.")
        listeners = resources.get("aws_lb_listener", {})
        if isinstance(listeners.get(listener), dict):
            targets = [a.get("target_group_arn") for a in rule.get("action", []) if isinstance(a, dict) and a.get("target_group_arn")]
            listeners[listener].setdefault("scan_rule_target_groups", []).extend(targets)


def _environment_listener(resources: dict[str, Any], data: dict[str, Any], name: str) -> str:
    """The HTTPS listener of an environment's ALB, found by port 443 (guard 7), as a resource of the scan copy."""
    found = data.get("aws_lb_listener", {}).get(name)
    if not isinstance(found, dict) or found.get("port") != 443:
        return ""  # not one the environment stack makes: stays unconnected, so the check still fails
    stand_in = f"scan_{name}"
    resources.setdefault("aws_lb_listener", {})[stand_in] = {
        "load_balancer_arn": found.get("load_balancer_arn"),
        "port": 443,
        "protocol": "HTTPS",
        "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
        "default_action": [{"type": "fixed-response", "fixed_response": {"content_type": "text/plain", "status_code": "404"}}],
    }
    return stand_in


def resource_lines(text: str) -> dict[int, str]:
    """Line number (1-based) of each `"<name>": {` under resource/data -> "<type>.<name>" (data.<type>.<name>).

    checkov reports python-check results of terraform_json as `resource.<name>`, without the type; the scan
    copy is written by us with indent=2, so the line tells the address."""
    addresses: dict[int, str] = {}
    block = kind = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        indent = len(line) - len(line.lstrip(" "))
        if not stripped.startswith('"') or not stripped.endswith("{"):
            continue
        key = json.loads(stripped[: stripped.rindex(":")])
        if indent == 2:
            block, kind = key, None
        elif indent == 4 and block in ("resource", "data"):
            kind = key
        elif indent == 6 and block in ("resource", "data") and kind and key != "//":
            addresses[number] = f"{kind}.{key}" if block == "resource" else f"data.{kind}.{key}"
    return addresses


@dataclass
class ScanSet:
    """The scan copies: folder, and per copy its stack label and line -> address map."""

    folder: Path
    stacks: dict[str, str] = field(default_factory=dict)  # scan copy path (absolute) -> stack label
    addresses: dict[str, dict[int, str]] = field(default_factory=dict)  # scan copy path -> line -> address


def write_scan_copies(stack_files: Sequence[tuple[str, Path]], folder: Path) -> ScanSet:
    """(label, cdk.tf.json) pairs -> folder/<label>/cdk.tf.json scan copies."""
    scan_set = ScanSet(folder)
    for label, source in stack_files:
        try:
            document = json.loads(source.read_text())
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ScanError(f"{source}: not readable as JSON ({error})") from None
        try:
            scan_copy = make_scan_copy(document)
        except ScanError as error:
            raise ScanError(f"{label}: {error}") from None
        target = folder / label / STACK_FILE
        if target.exists():
            raise ScanError(f"two stacks are both named {label}")
        target.parent.mkdir(parents=True)
        text = json.dumps(scan_copy, indent=2) + "\n"
        target.write_text(text)
        scan_set.stacks[str(target.resolve())] = label
        scan_set.addresses[str(target.resolve())] = resource_lines(text)
    return scan_set


# --------------------------------------------------------------------------- checkov


def find_checkov(explicit: str | None) -> str:
    if explicit:
        if not (Path(explicit).is_file() and os.access(explicit, os.X_OK)):
            raise ScanError(f"--checkov {explicit}: not an executable file")
        return explicit
    for candidate in (os.environ.get("CHECKOV"), str(SCAN_VENV_CHECKOV), shutil.which("checkov")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise ScanError("checkov not found: run `make scan-setup` (creates .venv-scan) or pass --checkov / set CHECKOV")


def run_checkov(checkov: str, folder: Path, config: Path | None) -> dict[str, Any]:
    command = [checkov, "--directory", str(folder), "--framework", "terraform_json", "--skip-download",
               "--output", "json", "--compact"]  # guards 1 and 4
    if config is not None:
        command += ["--config-file", str(config)]
    env = dict(os.environ, LOG_LEVEL="ERROR", BC_SKIP_MAPPING="TRUE", CHECKOV_NO_OUTPUT_COLOR="1")
    # cwd: the scan folder, so no other .checkov.yaml is picked up implicitly
    result = subprocess.run(command, capture_output=True, text=True, cwd=folder, env=env)
    if result.returncode not in (0, 1):
        raise ScanError(f"checkov exited {result.returncode}: {(result.stderr or result.stdout).strip()[-2000:]}")
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        raise ScanError(f"checkov printed no JSON report: {(result.stdout + result.stderr).strip()[-2000:]}") from None
    reports = report if isinstance(report, list) else [report]
    for item in reports:
        if isinstance(item, dict) and item.get("check_type") == "terraform_json":
            return item
    # checkov prints a bare summary (no check_type) when it found nothing to scan
    return reports[0] if reports and isinstance(reports[0], dict) else {}


@dataclass
class Finding:
    stack: str
    address: str
    check_id: str
    name: str


@dataclass
class Verdict:
    problems: list[str]  # silent failures of checkov itself
    findings: list[Finding]  # failed checks
    passed: int
    failed: int
    skipped: list[str]  # check ids skipped by the config file (checkov does not run them at all)
    version: str

    @property
    def ok(self) -> bool:
        return not self.problems and not self.findings


def _stack_and_address(record: dict[str, Any], scan_set: ScanSet) -> tuple[str, str]:
    path = str(Path(record.get("file_abs_path") or "").resolve())
    stack = scan_set.stacks.get(path) or Path(record.get("file_path", "?")).parent.name
    resource = record.get("resource", "?")
    start = (record.get("file_line_range") or [0])[0]
    address = scan_set.addresses.get(path, {}).get(start)
    if address is None:  # graph checks already give <type>.<name>
        address = resource
    return stack, address


def configured_skips(config: Path | None) -> list[str]:
    """The skip-check list of the checkov config file."""
    if config is None:
        return []
    import yaml

    data = yaml.safe_load(config.read_text()) or {}
    skips = data.get("skip-check", []) if isinstance(data, dict) else []
    return sorted(str(s) for s in (skips.split(",") if isinstance(skips, str) else skips))


def evaluate(report: dict[str, Any], scan_set: ScanSet, skipped: Sequence[str] = ()) -> Verdict:
    summary = report.get("summary", {})
    results = report.get("results", {})
    passed, failed = int(summary.get("passed", 0)), int(summary.get("failed", 0))
    problems: list[str] = []
    if summary.get("parsing_errors", 0):
        names = ", ".join(scan_set.stacks.get(str(Path(p).resolve()), p) for p in results.get("parsing_errors", []))
        problems.append(f"checkov could not parse {summary['parsing_errors']} stack(s): {names or '?'}")
    if passed + failed == 0:
        problems.append("checkov checked nothing (0 passed, 0 failed)")
    seen = {str(Path(r.get("file_abs_path") or "").resolve())
            for kind in ("passed_checks", "failed_checks", "skipped_checks") for r in results.get(kind, [])}
    unseen = sorted(label for path, label in scan_set.stacks.items() if path not in seen)
    if unseen and passed + failed:
        problems.append(f"checkov reported nothing for {len(unseen)} stack(s): {', '.join(unseen)}")
    findings = [Finding(*_stack_and_address(r, scan_set), r.get("check_id", "?"), r.get("check_name", "?"))
                for r in results.get("failed_checks", [])]
    findings.sort(key=lambda f: (f.stack, f.address, f.check_id))
    return Verdict(problems, findings, passed, failed, list(skipped), str(summary.get("checkov_version", "?")))


def table(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows)


def report_text(verdict: Verdict, stacks: int) -> str:
    lines = [f"checkov {verdict.version}: {stacks} stack(s), {verdict.passed} passed, {verdict.failed} failed, "
             f"{len(verdict.skipped)} check(s) skipped by .checkov.yaml"]
    if verdict.skipped:
        lines.append("skipped (see .checkov.yaml for why): " + ", ".join(verdict.skipped))
    if verdict.findings:
        lines += ["", "FAILED CHECKS", table([("STACK", "RESOURCE", "CHECK", "NAME")]
                                             + [(f.stack, f.address, f.check_id, f.name) for f in verdict.findings])]
    for problem in verdict.problems:
        lines.append(f"error: {problem}")
    lines.append("scan: " + ("OK" if verdict.ok else "FAILED"))
    return "\n".join(lines)


# --------------------------------------------------------------------------- synthesis


def synthesize_stacks(env_files: Sequence[str], outdir: Path) -> list[tuple[str, Path]]:
    """Service stacks and, when the CLI supports it, bootstrap stacks -> (label, cdk.tf.json)."""
    sys.path.insert(0, str(ROOT))
    from constructs_lib.cli.synth import synthesize
    from constructs_lib.config import ConfigError, load_env_files

    try:
        envs = load_env_files(env_files)
    except ConfigError as error:
        raise ScanError("invalid env file(s):\n  " + "\n  ".join(error.problems)) from None
    stacks: list[tuple[str, Path]] = []
    kinds = [("services", {})]
    if "bootstrap" in inspect.signature(synthesize).parameters:
        kinds.append(("bootstrap", {"bootstrap": True}))
    for kind, options in kinds:
        synthesize(envs, outdir / kind, **options)
        stacks += [(path.parent.name, path) for path in sorted((outdir / kind / "stacks").glob(f"*/{STACK_FILE}"))]
    return stacks


def existing_stacks(folders: Sequence[str]) -> list[tuple[str, Path]]:
    stacks = []
    for folder in folders:
        found = sorted(Path(folder).rglob(STACK_FILE))
        if not found:
            raise ScanError(f"{folder}: no {STACK_FILE} found")
        stacks += [(path.parent.name, path) for path in found]
    return stacks


def scan(stack_files: Sequence[tuple[str, Path]], workdir: Path, *, checkov: str, config: Path | None) -> Verdict:
    scan_set = write_scan_copies(stack_files, workdir / "scan")
    report = run_checkov(checkov, scan_set.folder, config)
    (workdir / "checkov.json").write_text(json.dumps(report, indent=2) + "\n")
    return evaluate(report, scan_set, configured_skips(config))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/scan.py", description=__doc__.split("\n\n")[0],
                                     epilog="Exit codes: 0 clean, 1 findings or checkov failed, 2 bad input.")
    parser.add_argument("env_files", nargs="*", metavar="ENV_FILE",
                        help="env files to synthesize (default: envs/*.json tests/fixtures/*.json)")
    parser.add_argument("--outdir", help="keep synthesized stacks, scan copies and checkov.json here (replaced)")
    parser.add_argument("--stacks", action="append", metavar="DIR",
                        help="scan the cdk.tf.json files already under DIR instead of synthesizing (repeatable)")
    parser.add_argument("--checkov", help="checkov executable (default: $CHECKOV, .venv-scan/bin/checkov, PATH)")
    parser.add_argument("--config", default=str(DEFAULT_CONFIG), help="checkov config file (default: .checkov.yaml)")
    args = parser.parse_args(argv)

    if args.stacks and args.env_files:
        parser.error("give env files or --stacks, not both")
    workdir = Path(args.outdir).resolve() if args.outdir else Path(tempfile.mkdtemp(prefix="scan-"))
    try:
        checkov = find_checkov(args.checkov)
        config = Path(args.config).resolve()
        if not config.is_file():
            raise ScanError(f"{args.config}: no such checkov config file")
        if args.outdir:
            if workdir.exists() and any(workdir.iterdir()) and not any((workdir / n).exists() for n in ("scan", "synth")):
                raise ScanError(f"--outdir {args.outdir}: exists and is not a previous scan output; not replacing it")
            shutil.rmtree(workdir, ignore_errors=True)
            workdir.mkdir(parents=True)
        if args.stacks:
            stack_files = existing_stacks(args.stacks)
        else:
            env_files = args.env_files or sorted(f for g in DEFAULT_ENV_GLOBS for f in glob.glob(str(ROOT / g)))
            if not env_files:
                raise ScanError("no env files to scan")
            stack_files = synthesize_stacks(env_files, workdir / "synth")
        verdict = scan(stack_files, workdir, checkov=checkov, config=config)
    except ScanError as error:
        print(f"scan: {error}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        if not args.outdir:
            shutil.rmtree(workdir, ignore_errors=True)
    print(report_text(verdict, len(stack_files)))
    return EXIT_OK if verdict.ok else EXIT_FINDINGS


if __name__ == "__main__":
    sys.exit(main())
