"""Tests of the benchmark harness (not of speed: nothing here asserts a duration).

    .venv/bin/python -m pytest bench/tests
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from constructs_lib._jsii import fast_checks

BENCH = Path(__file__).resolve().parent.parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import gen_envs  # noqa: E402
import measure  # noqa: E402
import report  # noqa: E402
import run  # noqa: E402
import scale  # noqa: E402

MIB = 1024 * 1024
AWSCDK_PYTHON = BENCH / ".venv-awscdk" / "bin" / "python"
QUIET = {**__import__("os").environ, **run.JSII_QUIET}


# measure ---------------------------------------------------------------------------------------------------


def test_peak_memory_sums_the_process_tree():
    child = "import time; x = bytearray(128 << 20); time.sleep(0.6)"
    parent = f"import subprocess, sys; x = bytearray(64 << 20); subprocess.run([sys.executable, '-c', {child!r}])"
    sample = measure.run([sys.executable, "-c", parent])
    assert sample.returncode == 0
    assert sample.processes >= 2
    assert sample.cpu_seconds > 0
    # both allocations are counted (the sum of the tree, not its largest process); each process's own peak may
    # also hold the pages a fork shares before its exec, so the bound above is loose, but far below a double count
    # of the child's 128 MiB on top
    assert 192 * MIB <= sample.peak_rss_bytes < 192 * MIB + 256 * MIB


def test_a_command_shorter_than_a_poll_still_gets_its_peak():
    sample = measure.run([sys.executable, "-c", "x = bytearray(50 << 20)"], interval=10)
    assert sample.peak_rss_bytes >= 50 * MIB


def test_a_failing_command_raises_with_its_output():
    with pytest.raises(measure.CommandFailed) as failed:
        measure.run([sys.executable, "-c", "import sys; print('first'); print('boom'); sys.exit(3)"])
    assert failed.value.summary == "exited 3: boom"
    assert "first\nboom" in str(failed.value)
    assert measure.run([sys.executable, "-c", "raise SystemExit(4)"], check=False).returncode == 4


# bench.mk --------------------------------------------------------------------------------------------------


def test_the_awscdk_venv_gets_jsii_from_the_projects_one_pin():
    """The AWS CDK app runs on the jsii that pyproject.toml pins, the version the fast kernel start checks."""
    dry_run = subprocess.run(["make", "-n", "-B", "-f", "bench/bench.mk", "bench/.venv-awscdk/.installed"],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert f"-r bench/requirements-awscdk.txt \\\n\t'jsii=={fast_checks.pinned_jsii()}'\n" in dry_run
    requirements = (BENCH / "requirements-awscdk.txt").read_text().splitlines()
    assert [line for line in requirements if line.startswith("jsii")] == []


# gen_envs --------------------------------------------------------------------------------------------------


def test_generated_services_are_the_spec_example_with_unique_names():
    env = gen_envs.make_env("staging", 12)
    services = env["services"]
    assert len(services) == 12
    for key in ("cluster_name", "service_name", "alb_name", "alb_domain_prefix", "ecr_repo_base_name"):
        assert len({s[key] for s in services}) == 12
    # Renamed, or moved into the env (its region's certificate, its own domain): see gen_envs' docstring.
    renamed = {"cluster_name", "service_name", "alb_name", "alb_domain_prefix", "ecr_repo_base_name",
               "ssl_certificate_id", "route53"}
    for service in services:
        assert service["ssl_certificate_id"] == "arn:aws:acm:eu-west-1:123456789012:certificate/abc123"
        assert service.keys() == gen_envs.SERVICE_TEMPLATE.keys()
        assert service["ssl_certificate_id"] == gen_envs.SERVICE_TEMPLATE["ssl_certificate_id"].replace(
            ":us-east-1:", ":eu-west-1:")
        assert service["route53"] == {**gen_envs.SERVICE_TEMPLATE["route53"], "domain_name": "staging.example.com"}
        assert {k: v for k, v in service.items() if k not in renamed} == {
            k: v for k, v in gen_envs.SERVICE_TEMPLATE.items() if k not in renamed
        }
    assert env["environment"] == "staging"
    assert env["accounts"]["staging"] == env["account_id"]


def test_write_envs_writes_one_file_per_environment(tmp_path):
    paths = gen_envs.write_envs(tmp_path, ["dev", "prod"], 3)
    assert [p.name for p in paths] == ["dev.json", "prod.json"]
    assert [len(json.loads(p.read_text())["services"]) for p in paths] == [3, 3]


def test_generated_env_files_hold_the_env_file_contract_fields():
    generated = gen_envs.make_env("dev", 1)
    assert generated.keys() == {
        "organization", "environment", "account_id", "region", "accounts", "app_version", "network", "state",
        "services", "trusted_account_ids",
    }
    assert generated["network"].keys() == {"vpc_id", "private_subnet_ids", "public_subnet_ids"}
    assert generated["state"].keys() >= {"bucket", "region"}


def _cli_works() -> bool:
    probe = subprocess.run([sys.executable, "-m", "constructs_lib", "--help"], cwd=ROOT, capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not _cli_works(), reason="python -m constructs_lib is not available yet")
def test_generated_env_files_pass_our_validation(tmp_path):
    paths = gen_envs.write_envs(tmp_path, ["dev", "staging", "prod"], 2)
    done = subprocess.run(
        [sys.executable, "-m", "constructs_lib", "validate", *map(str, paths)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=QUIET,
    )
    assert done.returncode == 0, done.stdout + done.stderr


# report ----------------------------------------------------------------------------------------------------


def _result(key: str, seconds: float, mib: float, runs: int = 3) -> report.Result:
    samples = [measure.Sample(seconds, int(mib * MIB), seconds * 1.5, 3, 0) for _ in range(runs)]
    return report.Result(key, key, None, samples)


def test_targets_pass_fail_and_not_available():
    results = {
        r.key: r
        for r in [
            _result("floor", 4.0, 600),
            _result("naive", 16.0, 1200),
            _result("shipped", 5.0, 700),
            _result("ours-1", 5.0, 700),
            _result("ours-50", 20.0, 800),
            _result("ours-3x10", 10.0, 750),
        ]
    }
    by_name = {t.name: t for t in report.TARGETS}
    assert by_name["shipped envs / floor (time)"].ratio(results) == pytest.approx(1.25)
    assert by_name["shipped envs / floor (time)"].verdict(results) == "PASS"
    assert by_name["50 services / 1 service (time)"].verdict(results) == "FAIL"  # 4x > 3x
    assert by_name["shipped envs / floor (peak memory)"].verdict(results) == "PASS"  # 1.17x
    assert by_name["AWS CDK 3x10 / ours 3x10 (time)"].verdict(results) == "n/a"  # no AWS CDK entry
    results["awscdk-3x10"] = _result("awscdk-3x10", 14.0, 700)
    assert by_name["AWS CDK 3x10 / ours 3x10 (time)"].verdict(results) == "FAIL"  # 1.4x < 1.5x
    results["awscdk-3x10"] = _result("awscdk-3x10", 15.0, 700)
    assert by_name["AWS CDK 3x10 / ours 3x10 (time)"].verdict(results) == "PASS"


def test_markdown_shows_medians_skips_errors_and_machine():
    floor = _result("floor", 4.0, 600)
    floor.samples[0] = measure.Sample(9.0, 900 * MIB, 13.5, 3, 0)  # an outlier does not move the median
    skipped = report.Result("awscdk-3x10", "AWS CDK", 30, skipped="no venv")
    failed = report.Result("ours-1", "ours one", 1, error="exited 2: a | b")
    text = report.markdown(
        [floor, skipped, failed],
        reps=3,
        info={"cores": "2", "memory": "23.5 GiB", "cpu": "x", "os": "Linux", "python": "3.11", "node": "v20"},
        versions={"cdktf": "0.21.0"},
        notes=["a note"],
    )
    assert "| floor | - | 4.00 s | 4.00 - 9.00 s | 6.00 s | 600 MiB | 1.00x | 3 |" in text
    assert "| AWS CDK | 30 | skipped: no venv |" in text
    assert "| ours one | 1 | error: exited 2: a \\| b |" in text  # a pipe would split the cell
    assert "Machine: 2 cores (x), 23.5 GiB memory" in text
    assert "cdktf 0.21.0" in text and "- a note" in text


# run -------------------------------------------------------------------------------------------------------


def _stub(extra: str = "") -> str:
    return f"{sys.executable} {BENCH / 'stub_synth.py'} synth {extra}"


def test_run_with_a_stub_synth_writes_the_report(tmp_path):
    results = tmp_path / "RESULTS.md"
    only = "ours-1,ours-10,awscdk-3x10"
    code = run.main(
        ["--reps", "2", "--only", only, "--no-awscdk", "--synth-cmd", _stub(), "--results", str(results)]
    )
    assert code == 0
    text = results.read_text()
    assert "| ours: 1 service | 2 |" in text and "| ours: 10 services | 11 |" in text
    assert "| AWS CDK: 3 envs x 10 services | 30 | skipped: --no-awscdk |" in text
    assert "2 runs of each command" in text


def test_run_reports_a_synth_that_writes_the_wrong_stacks(tmp_path, capsys):
    extra = gen_envs.write_envs(tmp_path / "extra", ["staging"], 2)[0]
    code = run.main(["--reps", "1", "--only", "ours-1", "--synth-cmd", _stub(str(extra)), "--results", "-"])
    assert code == 1
    assert "| ours: 1 service | 2 | error: wrote 5 stacks, expected 2 |" in capsys.readouterr().out


def test_run_skips_our_entries_when_the_cli_is_missing(tmp_path, capsys):
    missing = f"{sys.executable} -c 'raise SystemExit(\"no module named constructs_lib\")'"
    code = run.main(["--reps", "1", "--only", "ours-1", "--synth-cmd", missing, "--results", "-"])
    assert code == 0
    assert "skipped: our synth CLI is not available (no module named constructs_lib)" in capsys.readouterr().out


def test_shipped_env_files_leave_out_non_env_json():
    assert all("services" in json.loads(p.read_text()) for p in run.shipped_env_files())


# floor and AWS CDK app (slow: they start jsii) -------------------------------------------------------------


def test_floor_loads_the_provider_assembly_and_no_resource_module():
    code = (
        f"import runpy, sys; runpy.run_path({str(BENCH / 'floor.py')!r}); "
        "print(sorted(m for m in sys.modules if m.startswith('cdktf_cdktf_provider_aws')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=QUIET, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    loaded = ast.literal_eval(done.stdout)  # the printed list of module names
    assert "cdktf_cdktf_provider_aws._jsii" in loaded
    assert [m for m in loaded if not m.startswith("cdktf_cdktf_provider_aws._jsii")] == ["cdktf_cdktf_provider_aws"]


@pytest.mark.skipif(not AWSCDK_PYTHON.exists(), reason="bench/.venv-awscdk not set up (make bench-awscdk)")
def test_awscdk_app_synthesizes_the_equivalent_stack(tmp_path):
    env_file = gen_envs.write_envs(tmp_path / "envs", ["dev"], 1)[0]
    outdir = tmp_path / "cdk.out"
    done = subprocess.run(
        [str(AWSCDK_PYTHON), str(BENCH / "awscdk_app.py"), "--outdir", str(outdir), str(env_file)],
        capture_output=True,
        text=True,
        env=QUIET,
    )
    assert done.returncode == 0, done.stderr
    template = json.loads((outdir / "acme-dev-app01-service.template.json").read_text())
    by_type: dict[str, list[dict]] = {}
    for resource in template["Resources"].values():
        by_type.setdefault(resource["Type"], []).append(resource.get("Properties", {}))
    service = by_type["AWS::ECS::Service"][0]
    assert service["CapacityProviderStrategy"] == [
        {"CapacityProvider": "FARGATE_SPOT", "Weight": 2},
        {"CapacityProvider": "FARGATE", "Weight": 1},
    ]
    listeners = {listener["Port"]: listener for listener in by_type["AWS::ElasticLoadBalancingV2::Listener"]}
    assert listeners[443]["Protocol"] == "HTTPS"
    assert listeners[443]["Certificates"] == [{"CertificateArn": gen_envs.make_service(1)["ssl_certificate_id"]}]
    assert listeners[80]["DefaultActions"][0]["Type"] == "redirect"
    record = by_type["AWS::Route53::RecordSet"][0]
    assert (record["Name"], record["HostedZoneId"]) == ("app01.dev.example.com.", "Z1D633PJN98FT9")
    assert "Lookup" not in json.dumps(template)  # the VPC is imported from ids, no context lookup


# the scale scenario ------------------------------------------------------------------------------------------


def test_the_one_line_change_differs_from_the_base_by_one_line(tmp_path):
    files = gen_envs.write_envs(tmp_path / "base", ["dev", "staging"], 3)
    changed = scale.one_line_changed(files, tmp_path / "changed", service=2)
    assert changed[0].read_text() == files[0].read_text()
    before, after = files[1].read_text().splitlines(), changed[1].read_text().splitlines()
    differences = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert differences == [('      "desired_count": 2,', '      "desired_count": 3,')]


def test_scale_targets_and_the_plan_jobs_check():
    results = {r.key: r for r in [_result("floor", 3.0, 600), _result("ours-3x200", 33.0, 950),
                                  _result("changed-600", 2.5, 100)]}
    by_name = {t.name: t for t in report.TARGETS}
    assert by_name["600 stacks / floor (time)"].verdict(results) == "PASS"  # 11x
    assert by_name["600 stacks / floor (peak memory)"].verdict(results) == "FAIL"  # 1.58x
    changed = by_name["changed on 600 stacks (time)"]
    assert (changed.ratio(results), changed.bound, changed.verdict(results)) == (2.5, "<= 2 s", "FAIL")
    assert [report.Check("jobs", n, 1).verdict for n in (1, 2, None)] == ["PASS", "FAIL", "n/a"]
    rows = report.ratios_table(list(results.values()), checks=[report.Check("plan jobs", 1, 1)])
    assert "| changed on 600 stacks (time) | 2.50 s | <= 2 s | FAIL | 3.75 s |" in rows
    assert rows[-1] == "| plan jobs | 1 | = 1 | PASS | - |"


def test_run_of_the_scale_scenario_with_a_stub_synth(tmp_path):
    results = tmp_path / "RESULTS.md"
    only = "ours-3x200,changed-600"
    code = run.main(["--reps", "1", "--only", only, "--synth-cmd", _stub(), "--results", str(results)])
    assert code == 0
    text = results.read_text()
    assert "| ours: 3 envs x 200 services | 603 |" in text
    assert "| changed: 600 stacks, one line of one service changed | - |" in text
    assert "| plan jobs for a one-line change in one service (600 stacks) | 1 | = 1 | PASS | - |" in text
