"""`make scan`: checkov passes on every stack of envs/ and tests/fixtures/, and its silent failures are guarded.

Runs scripts/scan.py as a user would (a subprocess) and imports it for the guard functions. Needs checkov:
`make scan-setup` creates .venv-scan (or set CHECKOV to a checkov executable).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "scan.py"

_spec = importlib.util.spec_from_file_location("scan_script", SCRIPT)
scan = importlib.util.module_from_spec(_spec)
sys.modules["scan_script"] = scan
_spec.loader.exec_module(scan)


@pytest.fixture(scope="module")
def checkov() -> str:
    try:
        return scan.find_checkov(None)
    except scan.ScanError as error:
        pytest.fail(f"{error} -- the scan is part of the test suite and must not be skipped silently")


def run_scan(*args: str, checkov: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, CHECKOV=checkov)
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, env=env, cwd=ROOT)


@pytest.fixture(scope="module")
def scan_run(tmp_path_factory: pytest.TempPathFactory, checkov: str):
    """One full scan of the shipped env files and fixtures, outputs kept: (process, outdir)."""
    outdir = tmp_path_factory.mktemp("scan") / "out"
    return run_scan("--outdir", str(outdir), checkov=checkov), outdir


@pytest.fixture(scope="module")
def report(scan_run) -> dict:
    _, outdir = scan_run
    return json.loads((outdir / "checkov.json").read_text())


def originals(outdir: Path) -> list[Path]:
    return sorted((outdir / "synth").glob("*/stacks/*/cdk.tf.json"))


def copies(outdir: Path) -> list[Path]:
    return sorted((outdir / "scan").glob("*/cdk.tf.json"))


def load(path: Path) -> dict:
    return json.loads(path.read_text())


# --------------------------------------------------------------------------- the shipped stacks are clean


def test_every_stack_passes_every_check_not_skipped(scan_run):
    process, _ = scan_run
    assert process.returncode == 0, f"scan failed:\n{process.stdout}\n{process.stderr}"
    assert "scan: OK" in process.stdout


def test_every_env_and_fixture_stack_is_scanned(scan_run, report):
    _, outdir = scan_run
    service_stacks = {p.parent.name for p in (outdir / "synth" / "services" / "stacks").glob("*/cdk.tf.json")}
    assert len(service_stacks) >= 6  # 2 envs + 1 fixture, 2 services each
    assert {p.parent.name for p in copies(outdir)} == {p.parent.name for p in originals(outdir)}
    checked = {Path(r["file_path"]).parent.name for kind in ("passed_checks", "failed_checks")
               for r in report["results"][kind]}
    assert checked == {p.parent.name for p in copies(outdir)}
    assert report["summary"]["parsing_errors"] == 0
    assert report["summary"]["passed"] > 0


def test_skips_are_few_and_each_has_a_reason():
    config = (ROOT / ".checkov.yaml").read_text().splitlines()
    skips = scan.configured_skips(ROOT / ".checkov.yaml")
    assert 0 < len(skips) <= 4, skips
    for check in skips:
        line = next(i for i, text in enumerate(config) if text.strip() == f"- {check}")
        assert config[line - 1].strip().startswith("#"), f"{check} has no comment saying why it is skipped"


# --------------------------------------------------------------------------- the guards


def test_guard_required_version_is_stripped_from_the_scan_copy_only(scan_run):
    _, outdir = scan_run
    assert all("required_version" in load(p)["terraform"] for p in originals(outdir))  # the guard is exercised
    for path in copies(outdir):
        terraform = load(path)["terraform"]
        assert "required_version" not in terraform
        assert all(isinstance(value, (dict, list)) for value in terraform.values()), path
        assert "backend" in terraform and "required_providers" in terraform  # blocks are kept


def test_guard_container_definitions_are_objects_in_the_scan_copy(scan_run, report):
    _, outdir = scan_run
    tasks = 0
    for original, path in zip(originals(outdir), copies(outdir), strict=True):
        for name, task in load(path)["resource"].get("aws_ecs_task_definition", {}).items():
            tasks += 1
            assert isinstance(load(original)["resource"]["aws_ecs_task_definition"][name]["container_definitions"], str)
            definitions = task["container_definitions"]
            assert isinstance(definitions, list) and definitions
            assert all(isinstance(c, dict) and c.get("image") for c in definitions)
    assert tasks >= 6
    # the container checks (read-only root filesystem, host pid mode) really ran on every task definition
    for check in ("CKV_AWS_336", "CKV_AWS_335"):
        ran = [r for kind in ("passed_checks", "failed_checks") for r in report["results"][kind]
               if r["check_id"] == check]
        assert len(ran) == tasks, check


def test_guard_false_container_fields_are_dropped_so_checkov_sees_them_as_false():
    task = {"container_definitions": json.dumps([{"image": "x", "readonlyRootFilesystem": False, "privileged": False,
                                                  "essential": False, "mountPoints": [{"readOnly": False}]}])}
    document = {"resource": {"aws_ecs_task_definition": {"task": task}}}
    copy = scan.make_scan_copy(document)["resource"]["aws_ecs_task_definition"]["task"]["container_definitions"]
    assert copy == [{"image": "x", "essential": False, "mountPoints": [{"readOnly": False}]}]


def test_guard_referenced_security_group_rules_get_the_source_checkov_understands(scan_run):
    _, outdir = scan_run
    rules = [rule for path in copies(outdir)
             for rule in load(path)["resource"].get("aws_vpc_security_group_ingress_rule", {}).values()
             if "referenced_security_group_id" in rule]
    assert rules
    assert all(rule["source_security_group_id"] == rule["referenced_security_group_id"] for rule in rules)


def test_guard_a_schedules_ecs_target_attaches_its_security_group_as_an_event_target_would():
    network = {"subnets": ["subnet-1"], "security_groups": ["${aws_security_group.tasks.id}"], "assign_public_ip": False}
    schedule = {"target": {"arn": "arn:aws:ecs:eu-west-1:111111111111:cluster/c", "ecs_parameters": {
        "task_definition_arn": "${aws_ecs_task_definition.task.arn}", "network_configuration": network}}}
    document = {"resource": {"aws_scheduler_schedule": {"schedule": schedule}}}
    resources = scan.make_scan_copy(document)["resource"]
    assert resources["aws_cloudwatch_event_target"] == {"schedule_scan_equivalent": {
        "rule": "schedule-scan-equivalent", "arn": "arn:aws:ecs:eu-west-1:111111111111:cluster/c",
        "ecs_target": {"task_definition_arn": "${aws_ecs_task_definition.task.arn}", "network_configuration": network},
    }}
    assert resources["aws_scheduler_schedule"] == {"schedule": schedule}
    assert "aws_cloudwatch_event_target" not in document["resource"]


def test_guard_listener_rule_target_groups_are_referenced_by_their_listener():
    document = {"resource": {
        "aws_lb_listener": {"https": {"protocol": "HTTPS"}},
        "aws_lb_listener_rule": {"port": {"listener_arn": "${aws_lb_listener.https.arn}",
                                          "action": [{"type": "forward", "target_group_arn": "${aws_lb_target_group.p.arn}"}]}},
    }}
    listener = scan.make_scan_copy(document)["resource"]["aws_lb_listener"]["https"]
    assert listener == {"protocol": "HTTPS", "scan_rule_target_groups": ["${aws_lb_target_group.p.arn}"]}
    assert "scan_rule_target_groups" not in document["resource"]["aws_lb_listener"]["https"]


def test_guard_removed_and_import_blocks_are_dropped_from_the_scan_copy_only(scan_run):
    """checkov's parser fails a whole file on the top-level lists of `removed` and `import` blocks."""
    _, outdir = scan_run
    moved = [p for p in originals(outdir) if "removed" in load(p)]
    assert moved  # the guard is exercised: service stacks forget the clusters the environment stack owns
    assert all("removed" not in load(p) and "import" not in load(p) for p in copies(outdir))


def test_guard_container_definitions_that_are_not_json_fail_the_scan():
    document = {"resource": {"aws_ecs_task_definition": {"task": {"container_definitions": "${jsonencode(local.c)}"}}}}
    with pytest.raises(scan.ScanError, match="container_definitions"):
        scan.make_scan_copy(document)


def test_guard_parsing_errors_and_nothing_checked_fail(scan_run, checkov, tmp_path):
    """checkov on the raw cdk.tf.json (no scan copy): it cannot parse them (checkov#7454) yet exits 0."""
    _, outdir = scan_run
    raw = outdir / "synth" / "services" / "stacks"
    result = subprocess.run([checkov, "-d", str(raw), "--framework", "terraform_json", "--skip-download", "-o", "json"],
                            capture_output=True, text=True, cwd=tmp_path)
    raw_report = json.loads(result.stdout)
    raw_report = raw_report[0] if isinstance(raw_report, list) else raw_report
    assert result.returncode == 0  # the silent failure
    assert raw_report["summary"]["parsing_errors"] > 0, "checkov#7454 looks fixed: the strip guard may be dropped"
    stacks = {str(p.resolve()): p.parent.name for p in raw.glob("*/cdk.tf.json")}
    verdict = scan.evaluate(raw_report, scan.ScanSet(raw, stacks=stacks))
    assert not verdict.ok
    assert any("could not parse" in problem for problem in verdict.problems)
    assert any("checked nothing" in problem for problem in verdict.problems)


def test_a_stack_without_results_fails(tmp_path):
    scan_set = scan.ScanSet(tmp_path, stacks={str(tmp_path / "a" / "cdk.tf.json"): "a",
                                              str(tmp_path / "b" / "cdk.tf.json"): "b"})
    report = {"summary": {"passed": 1, "failed": 0, "parsing_errors": 0},
              "results": {"passed_checks": [{"file_abs_path": str(tmp_path / "a" / "cdk.tf.json")}]}}
    verdict = scan.evaluate(report, scan_set)
    assert not verdict.ok and "nothing for 1 stack(s): b" in verdict.problems[0]


def test_missing_checkov_is_reported(tmp_path):
    result = subprocess.run([sys.executable, str(SCRIPT), "--checkov", str(tmp_path / "nope")],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2
    assert "not an executable file" in result.stderr


# --------------------------------------------------------------------------- an insecure stack is caught


def test_an_insecure_stack_fails_the_scan_naming_stack_resource_and_check(scan_run, checkov, tmp_path):
    _, outdir = scan_run
    source = next(p for p in originals(outdir) if "aws_lb" in load(p).get("resource", {}))
    stack = source.parent.name
    document = load(source)
    resources = document["resource"]
    alb = next(iter(resources["aws_lb"]))
    resources["aws_lb"][alb]["drop_invalid_header_fields"] = False
    group = next(iter(resources["aws_security_group"]))
    rules = resources["aws_vpc_security_group_ingress_rule"]
    rule = {"security_group_id": f"${{aws_security_group.{group}.id}}", "ip_protocol": "tcp", "description": "x"}
    rules["open_ssh"] = {**rule, "from_port": 22, "to_port": 22, "cidr_ipv4": "0.0.0.0/0"}
    rules["open_http"] = {**rule, "from_port": 80, "to_port": 80, "cidr_ipv4": "0.0.0.0/0"}
    rules["http_from_alb"] = {**rule, "from_port": 80, "to_port": 80,
                              "referenced_security_group_id": "sg-0123456789abcdef0"}
    task = next(iter(resources["aws_ecs_task_definition"]))
    containers = json.loads(resources["aws_ecs_task_definition"][task]["container_definitions"])
    containers[0]["readonlyRootFilesystem"] = False
    resources["aws_ecs_task_definition"][task]["container_definitions"] = json.dumps(containers)  # still a string
    target = tmp_path / "stacks" / stack / "cdk.tf.json"
    target.parent.mkdir(parents=True)
    target.write_text(json.dumps(document, indent=2))

    no_skips = tmp_path / "checkov.yaml"  # whatever .checkov.yaml skips, these checks must catch the stack
    no_skips.write_text("compact: true\n")
    result = run_scan("--stacks", str(tmp_path / "stacks"), "--config", str(no_skips), checkov=checkov)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "scan: FAILED" in result.stdout
    failures = {tuple(line.split()[:3]) for line in result.stdout.splitlines() if line.startswith(stack)}
    assert (stack, f"aws_lb.{alb}", "CKV_AWS_131") in failures
    assert (stack, "aws_vpc_security_group_ingress_rule.open_ssh", "CKV_AWS_24") in failures
    assert (stack, "aws_vpc_security_group_ingress_rule.open_http", "CKV_AWS_260") in failures
    assert (stack, f"aws_ecs_task_definition.{task}", "CKV_AWS_336") in failures  # held as a JSON string
    assert not any(address.endswith(".http_from_alb") for _, address, _ in failures)  # checkov#6624 guard
