"""`cost ENV_FILE`: the arithmetic of the monthly estimate, pinned with hand-computed numbers against a price
table made up for the test (so a price update never breaks it), plus the shipped table's shape and the command."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import drop_own_alb_keys

from constructs_lib.config import validate_env_data
from constructs_lib.tools.cost_estimate import (
    DEFAULT_CAPACITY_STRATEGY,
    Assumptions,
    estimate,
    load_prices,
    split_tasks,
)

REPO = Path(__file__).resolve().parent.parent
PRICES = REPO / "constructs_lib" / "data" / "prices.json"
REQUIRED_REGIONS = {"eu-west-1", "eu-central-1", "us-east-1", "us-west-2"}

# Round made-up prices: every expected number below is worked out by hand from these.
TEST_TABLE = {
    "as_of": "2000-01-01",
    "currency": "USD",
    "regions": {
        "eu-west-1": {
            "fargate": {
                "X86_64": {"on_demand": {"vcpu_hour": 0.04, "gb_hour": 0.004}, "spot": {"vcpu_hour": 0.012, "gb_hour": 0.0012}},
                "ARM64": {"on_demand": {"vcpu_hour": 0.03, "gb_hour": 0.003}, "spot": {"vcpu_hour": 0.01, "gb_hour": 0.001}},
            },
            "alb": {"hour": 0.025, "lcu_hour": 0.008},
            "logs": {"ingestion_gb": 0.5},
        }
    },
}


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(REPO)}  # this checkout, from any working folder
    return subprocess.run(
        [sys.executable, "-m", "constructs_lib", *args], cwd=cwd, env=environment, capture_output=True, text=True,
        timeout=120,
    )


def one_service(dev_data: dict[str, Any], **changes: Any):
    data = copy.deepcopy(dev_data)
    data["services"] = [data["services"][1]]  # docs: nginx, no EFS, awslogs
    if "shared_alb" in changes:
        drop_own_alb_keys(data["services"][0])
    data["services"][0].update(changes)
    if "shared_alb" in changes:  # the only service creates no ALB: its listener is another's, listed as trusted
        data["trusted_listener_arns"] = [changes["shared_alb"]["listener_arn"]]
    return validate_env_data(data, "test.json")


def assert_items(cost, expected: dict[str, tuple[float, float]]) -> None:
    """The line items, in the printed order, as (quantity, monthly)."""
    assert [item.name for item in cost.items] == list(expected)
    for item in cost.items:
        assert (item.quantity, item.monthly) == pytest.approx(expected[item.name]), item.name


# --------------------------------------------------------------------------------------------- arithmetic


def test_default_strategy_three_tasks_by_hand(dev_data: dict[str, Any]) -> None:
    """1 vCPU / 2 GB, 3 tasks, default FARGATE_SPOT 2 : FARGATE 1 -> 2 Spot and 1 on-demand task, 730 h."""
    env = one_service(dev_data, cpu=1024, memory_limit_mib=2048, desired_count=3)
    (cost,) = estimate(env, Assumptions(), load_prices("eu-west-1", TEST_TABLE))
    assert cost.tasks == {"FARGATE_SPOT": 2, "FARGATE": 1}
    expected = {
        "Fargate Spot vCPU": (2 * 1 * 730, 1460 * 0.012),  # 17.52
        "Fargate Spot memory": (2 * 2 * 730, 2920 * 0.0012),  # 3.504
        "Fargate on-demand vCPU": (1 * 1 * 730, 730 * 0.04),  # 29.20
        "Fargate on-demand memory": (1 * 2 * 730, 1460 * 0.004),  # 5.84
        "ALB hours": (730, 730 * 0.025),  # 18.25
        "ALB LCUs": (730 * 1.0, 730 * 0.008),  # 5.84
        "CloudWatch Logs ingestion": (3 * 2.0, 6 * 0.5),  # 3.00
    }
    assert_items(cost, expected)
    assert cost.monthly == pytest.approx(83.154)  # 17.52 + 3.504 + 29.20 + 5.84 + 18.25 + 5.84 + 3.00
    assert cost.notes == []


def test_base_tasks_first_then_weights_arm_and_custom_assumptions(dev_data: dict[str, Any]) -> None:
    """5 tasks of 0.5 vCPU / 1 GB on ARM64; FARGATE base 1 weight 1, FARGATE_SPOT weight 3: the base task, then
    4 tasks split 1:3 -> FARGATE 2, FARGATE_SPOT 3. 100 hours, 2.5 LCU, 10 GB of logs per task."""
    env = one_service(
        dev_data, cpu=512, memory_limit_mib=1024, desired_count=5, cpu_architecture="ARM64",
        capacity_provider_strategy=[
            {"capacity_provider": "FARGATE", "weight": 1, "base": 1},
            {"capacity_provider": "FARGATE_SPOT", "weight": 3},
        ],
    )
    assumptions = Assumptions(hours=100, alb_lcu=2.5, log_gb_per_task=10)
    (cost,) = estimate(env, assumptions, load_prices("eu-west-1", TEST_TABLE))
    assert cost.tasks == {"FARGATE": 2, "FARGATE_SPOT": 3}
    assert_items(cost, {
        "Fargate on-demand vCPU": (2 * 0.5 * 100, 100 * 0.03),  # 3.00
        "Fargate on-demand memory": (2 * 1 * 100, 200 * 0.003),  # 0.60
        "Fargate Spot vCPU": (3 * 0.5 * 100, 150 * 0.01),  # 1.50
        "Fargate Spot memory": (3 * 1 * 100, 300 * 0.001),  # 0.30
        "ALB hours": (100, 100 * 0.025),  # 2.50
        "ALB LCUs": (250, 250 * 0.008),  # 2.00
        "CloudWatch Logs ingestion": (50, 50 * 0.5),  # 25.00
    })
    assert cost.monthly == pytest.approx(34.90)


def test_fractional_split_of_a_single_task(dev_data: dict[str, Any]) -> None:
    """The docs service as shipped: 1 task of 0.25 vCPU / 0.5 GB at 2:1 -> 2/3 Spot, 1/3 on-demand."""
    env = one_service(dev_data)
    (cost,) = estimate(env, Assumptions(), load_prices("eu-west-1", TEST_TABLE))
    spot_vcpu = 2 / 3 * 0.25 * 730 * 0.012  # 1.46
    spot_gb = 2 / 3 * 0.5 * 730 * 0.0012  # 0.292
    od_vcpu = 1 / 3 * 0.25 * 730 * 0.04  # 2.4333...
    od_gb = 1 / 3 * 0.5 * 730 * 0.004  # 0.4866...
    assert cost.monthly == pytest.approx(spot_vcpu + spot_gb + od_vcpu + od_gb + 18.25 + 5.84 + 1.0)
    assert cost.monthly == pytest.approx(29.762, abs=1e-3)


def test_a_shared_alb_and_another_log_driver_are_not_charged_here(dev_data: dict[str, Any]) -> None:
    env = one_service(
        dev_data, desired_count=3,
        shared_alb={"listener_arn": "arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/platform-shared/1/2",
                    "security_group_id": "sg-0a1b2c3d4e5f60718"},
        listener_rules=[{"priority": 5, "path_patterns": ["/docs/*"]}],
        log_driver={"name": "splunk", "options": {"splunk-url": "https://splunk.example.com"}},
        capacity_provider_strategy=[{"capacity_provider": "FARGATE", "weight": 1}],
    )
    (cost,) = estimate(env, Assumptions(), load_prices("eu-west-1", TEST_TABLE))
    assert_items(cost, {
        "Fargate on-demand vCPU": (3 * 0.25 * 730, 547.5 * 0.04),  # 21.90
        "Fargate on-demand memory": (3 * 0.5 * 730, 1095 * 0.004),  # 4.38
    })
    assert cost.notes == [
        "on a shared ALB: its hours and LCUs are counted with the service that owns it",
        "the app logs through splunk: its destination is not priced",
    ]


def test_tasks_on_an_ec2_capacity_provider_are_counted_not_priced(dev_data: dict[str, Any]) -> None:
    dev_data["ec2_capacity"] = {"preset": "development"}
    env = one_service(dev_data, desired_count=2, capacity_provider_strategy=[{"capacity_provider": "EC2", "weight": 1}])
    (cost,) = estimate(env, Assumptions(), load_prices("eu-west-1", TEST_TABLE))
    assert cost.tasks == {"EC2": 2}
    assert [i.name for i in cost.items] == ["ALB hours", "ALB LCUs", "CloudWatch Logs ingestion"]
    assert cost.notes == ["2 tasks on capacity provider EC2: not priced (EC2 instances bill per instance)"]


@pytest.mark.parametrize(
    ("strategy", "desired", "expected"),
    [
        (DEFAULT_CAPACITY_STRATEGY, 0, {"FARGATE_SPOT": 0, "FARGATE": 0}),
        (DEFAULT_CAPACITY_STRATEGY, 6, {"FARGATE_SPOT": 4, "FARGATE": 2}),
        ((("FARGATE", 1, 3), ("FARGATE_SPOT", 1, 0)), 2, {"FARGATE": 2, "FARGATE_SPOT": 0}),  # base above desired
        ((("FARGATE", 0, 1), ("FARGATE_SPOT", 1, 0)), 4, {"FARGATE": 1, "FARGATE_SPOT": 3}),  # weight 0: base only
        ((("FARGATE", 0, 0), ("FARGATE_SPOT", 0, 0)), 2, {"FARGATE": 2, "FARGATE_SPOT": 0}),  # no weight at all
    ],
)
def test_split_tasks(strategy, desired: int, expected: dict[str, float]) -> None:
    assert split_tasks(strategy, desired) == pytest.approx(expected)


# --------------------------------------------------------------------------------------------- the shipped table


def test_shipped_table_is_dated_sourced_and_complete() -> None:
    table = json.loads(PRICES.read_text())
    date.fromisoformat(table["as_of"])
    assert table["currency"] == "USD"
    assert all(source.startswith("https://aws.amazon.com/") for source in table["sources"])
    assert any("Spot" in note and "typical" in note for note in table["notes"])
    assert REQUIRED_REGIONS <= set(table["regions"])
    for region, prices in table["regions"].items():
        for architecture in ("X86_64", "ARM64"):
            fargate = prices["fargate"][architecture]
            for unit in ("vcpu_hour", "gb_hour"):
                assert 0 < fargate["spot"][unit] < fargate["on_demand"][unit], (region, architecture, unit)
        for unit in ("vcpu_hour", "gb_hour"):
            assert prices["fargate"]["ARM64"]["on_demand"][unit] < prices["fargate"]["X86_64"]["on_demand"][unit]
        assert prices["alb"]["hour"] > 0 and prices["alb"]["lcu_hour"] > 0 and prices["logs"]["ingestion_gb"] > 0
        assert prices["kms"]["key_month"] > 0 and prices["s3"]["standard_gb_month"] > 0
        assert all(prices["waf"][unit] > 0 for unit in ("web_acl_month", "rule_month", "requests_million"))


def test_the_table_ships_in_the_wheel() -> None:
    pyproject = (REPO / "pyproject.toml").read_text()
    assert '"data/*.json"' in pyproject


def test_an_unknown_region_names_the_priced_ones() -> None:
    from constructs_lib.tools.cost_estimate import UnknownRegion

    with pytest.raises(UnknownRegion) as error:
        load_prices("ap-south-1", TEST_TABLE)
    assert str(error.value) == "'ap-south-1' is not in the price table (as of 2000-01-01); priced regions: eu-west-1"


# --------------------------------------------------------------------------------------------- the command


def test_cost_prints_assumptions_a_table_per_service_and_a_total() -> None:
    result = run("cost", "envs/dev.json")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("Monthly cost estimate for envs/dev.json (acme-dev, eu-west-1), USD\n")
    as_of = json.loads(PRICES.read_text())["as_of"]
    for assumption in (
        f"prices: eu-west-1, public on-demand list prices as of {as_of}",
        "730 hours a month",
        "tasks: desired_count (not the autoscaling range)",
        "default FARGATE_SPOT 2 : FARGATE 1",
        "Fargate Spot at a typical rate",
        "ALB: 1 LCU on average every hour",
        "logs: 2 GB ingested per task per month",
        "not included:",
    ):
        assert assumption in out
    assert "dev-app-service: 2 x 0.5 vCPU, 1 GB, X86_64 (tasks: FARGATE_SPOT 1.33, FARGATE 0.67)" in out
    subtotals = [float(v) for v in re.findall(r"^  subtotal +([\d.]+)$", out, re.M)]
    rows = dict(re.findall(r"^(dev-[a-z-]+) +([\d.]+)$", out, re.M))
    total = float(re.search(r"^total +([\d.]+)$", out, re.M).group(1))
    assert len(subtotals) == 3 and [float(v) for v in rows.values()] == subtotals
    assert list(rows)[0] == "dev-environment"
    assert total == pytest.approx(sum(subtotals), abs=0.011)


def test_the_environment_stack_costs_its_web_acl_and_log_storage() -> None:
    """envs/dev.json brings its own KMS key: no log key is priced. WAF: the ACL, three rule groups, 1 M requests."""
    out = run("cost", "envs/dev.json").stdout
    eu_west_1 = json.loads(PRICES.read_text())["regions"]["eu-west-1"]
    waf, s3 = eu_west_1["waf"], eu_west_1["s3"]
    expected = waf["web_acl_month"] + 3 * waf["rule_month"] + waf["requests_million"] + 10 * s3["standard_gb_month"]
    section = out.split("dev-environment: shared by the services", 1)[1].split("\n\n", 1)[0]
    assert "KMS key" not in section and "WAF rule groups" in section and "ALB access-log storage" in section
    assert float(re.search(r"^  subtotal +([\d.]+)$", section, re.M).group(1)) == pytest.approx(expected, abs=0.006)
    assert "environment stack: 1 million requests a month through the web ACL, 10 GB of ALB access logs stored" in out


def test_cost_options_change_the_assumptions() -> None:
    result = run("cost", "envs/dev.json", "--hours", "100", "--alb-lcu", "2.5", "--log-gb-per-task", "0")
    assert result.returncode == 0, result.stderr
    assert "100 hours a month" in result.stdout and "ALB: 2.5 LCU" in result.stdout
    assert re.search(r"^  ALB LCUs +250\.00 LCU-h +0\.008 +2\.00$", result.stdout, re.M)
    assert re.search(r"^  CloudWatch Logs ingestion +0\.00 GB +[\d.]+ +0\.00$", result.stdout, re.M)


@pytest.mark.parametrize("value", ["-1", "abc", "inf"])
def test_cost_rejects_bad_numbers(value: str) -> None:
    result = run("cost", "envs/dev.json", "--alb-lcu", value)
    assert result.returncode == 2 and "argument --alb-lcu" in result.stderr


def test_a_region_without_prices_is_a_clear_error(tmp_path: Path, dev_data: dict[str, Any]) -> None:
    dev_data = json.loads(json.dumps(dev_data).replace(":eu-west-1:", ":ap-south-1:"))  # its ARNs move with it
    dev_data["region"] = "ap-south-1"
    (tmp_path / "mumbai.json").write_text(json.dumps(dev_data))
    result = run("cost", "mumbai.json", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"mumbai.json: region: 'ap-south-1' is not in the price table (as of {json.loads(PRICES.read_text())['as_of']}); "
        "priced regions: eu-central-1, eu-west-1, us-east-1, us-west-2\n"
    )


def test_an_invalid_file_gives_the_usual_error(tmp_path: Path, dev_data: dict[str, Any]) -> None:
    dev_data["services"][1]["desired_count"] = -1
    (tmp_path / "bad.json").write_text(json.dumps(dev_data))
    result = run("cost", "bad.json", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("bad.json: services[1].desired_count: ")


def test_cost_help() -> None:
    result = run("cost", "--help")
    text = " ".join(result.stdout.split())
    assert result.returncode == 0
    assert "--hours HOURS" in text and "--alb-lcu ALB_LCU" in text and "--log-gb-per-task LOG_GB_PER_TASK" in text
    assert "Exit codes: 0 success, 2 invalid env file or a region not in the price table." in text


def test_cost_does_not_start_jsii() -> None:
    code = (
        "import sys\nfrom constructs_lib.cli.main import main\n"
        "assert main(['cost', 'envs/dev.json']) == 0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('cdktf', 'jsii', 'constructs', 'cdktf_cdktf_provider_aws')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"
