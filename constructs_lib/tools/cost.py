"""`cost ENV_FILE`: each service's monthly cost, estimated from the dated price table shipped in the package
(`constructs_lib/data/prices.json`), printed with every assumption it makes.

Per service:
- Fargate: `desired_count` tasks (not the autoscaling range) of `cpu`/1024 vCPU and `memory_limit_mib`/1024 GB
  for `--hours`, split over the capacity provider strategy as ECS places them: each provider's `base` tasks
  first (in strategy order), then the remaining tasks by weight, as fractions (the long-run share: 2 tasks at
  FARGATE_SPOT 2 : FARGATE 1 count as 1.33 Spot and 0.67 on-demand). The default strategy is the constructs'
  FARGATE_SPOT weight 2, FARGATE weight 1. Spot is priced at the table's typical Spot rate; tasks on an EC2
  capacity provider are counted but not priced (the instances are).
- ALB: its hours and `--alb-lcu` LCUs on average every hour; a service on a shared ALB pays nothing here.
- CloudWatch Logs: `--log-gb-per-task` GB ingested per task per month when the app logs with awslogs.
- A worker: its `desired_count` tasks as a service's, no ALB. A scheduled task: one task for `--run-minutes` per
  run, times its runs in the month counted from the schedule (cost_schedule.py), or one a day, said so, when the
  expression is beyond that counting; its logs in proportion to its hours.

Exit codes: 0 success, 2 invalid env file or a region the price table does not have.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from ..config import EnvConfig, ServiceConfig, load_env_files
from ..config.service_names import Workload
from ..config.workloads import ScheduledTaskConfig
from ..constructs.conventions import DEFAULT_CAPACITY_STRATEGY
from ..props.task import EcsServiceOptions
from .cost_environment import estimate_environment
from .cost_schedule import HOURS_PER_DAY, runs_per_month

HOURS_PER_MONTH = 730  # AWS's own convention in its pricing calculator

PRICED_PROVIDERS = {"FARGATE": "on_demand", "FARGATE_SPOT": "spot"}
EXIT_INVALID = 2


class UnknownRegion(Exception):
    """The env's region is not in the price table."""


@dataclass(frozen=True)
class Assumptions:
    hours: float = HOURS_PER_MONTH
    alb_lcu: float = 1.0
    log_gb_per_task: float = 2.0
    run_minutes: float = 10.0  # of a scheduled task's run
    waf_requests_million: float = 1.0
    access_log_gb: float = 10.0


@dataclass(frozen=True)
class LineItem:
    name: str
    quantity: float
    unit: str
    rate: float

    @property
    def monthly(self) -> float:
        return self.quantity * self.rate


@dataclass
class ServiceCost:
    stack: str
    service: Workload
    tasks: dict[str, float]  # capacity provider -> tasks (fractional)
    items: list[LineItem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def monthly(self) -> float:
        return sum(item.monthly for item in self.items)


@dataclass(frozen=True)
class PriceTable:
    as_of: str
    currency: str
    region: str
    prices: dict[str, Any]


def load_prices(region: str, document: dict[str, Any] | None = None) -> PriceTable:
    """The prices of one region from the shipped table (or `document`); UnknownRegion names the ones it has."""
    if document is None:
        document = json.loads((resources.files("constructs_lib") / "data" / "prices.json").read_text())
    regions = document["regions"]
    if region not in regions:
        raise UnknownRegion(
            f"{region!r} is not in the price table (as of {document['as_of']}); priced regions: {', '.join(sorted(regions))}"
        )
    return PriceTable(document["as_of"], document["currency"], region, regions[region])


def capacity_strategy(service: Workload) -> tuple[tuple[str, int, int], ...]:
    if service.capacity_provider_strategy:
        return tuple((i.capacity_provider, i.weight, i.base) for i in service.capacity_provider_strategy)
    return DEFAULT_CAPACITY_STRATEGY


def split_tasks(strategy: tuple[tuple[str, int, int], ...], desired_count: int) -> dict[str, float]:
    """Tasks per capacity provider: `base` tasks first in strategy order, the rest split by weight (fractions).
    If every weight is 0, the rest stays on the first provider (ECS would not place them at all)."""
    tasks = {provider: 0.0 for provider, _, _ in strategy}
    remaining = float(desired_count)
    for provider, _, base in strategy:
        taken = min(float(base), remaining)
        tasks[provider] += taken
        remaining -= taken
    total_weight = sum(weight for _, weight, _ in strategy)
    if remaining > 0:
        if total_weight:
            for provider, weight, _ in strategy:
                tasks[provider] += remaining * weight / total_weight
        else:
            tasks[strategy[0][0]] += remaining
    return tasks


def task_count(workload: Workload) -> int:
    """The tasks a service or worker keeps running; a scheduled task's one task per run."""
    return workload.desired_count if isinstance(workload, EcsServiceOptions) else 1


def estimate_workload(env: EnvConfig, workload: Workload, prices: PriceTable, assumptions: Assumptions) -> ServiceCost:
    if not isinstance(workload, ScheduledTaskConfig):
        return estimate_service(env, workload, prices, assumptions)
    runs = runs_per_month(workload.schedule, assumptions.hours)
    counted = runs if runs is not None else assumptions.hours / HOURS_PER_DAY
    cost = estimate_service(env, workload, prices, assumptions, hours=counted * assumptions.run_minutes / 60)
    how = (
        "counted from the schedule"
        if runs is not None
        else "an estimate: the schedule is beyond counting, one a day assumed"
    )
    cost.notes.append(f"{_number(counted)} runs a month ({how}) of {_number(assumptions.run_minutes)} minutes each")
    return cost


def estimate_service(
    env: EnvConfig, service: Workload, prices: PriceTable, assumptions: Assumptions, hours: float | None = None
) -> ServiceCost:
    """`hours`: each task's hours in the month (default: all of them)."""
    from ..config.service_names import stack_name

    hours = assumptions.hours if hours is None else hours
    cost = ServiceCost(stack_name(env, service), service, split_tasks(capacity_strategy(service), task_count(service)))
    vcpu, gb = service.cpu / 1024, service.memory_limit_mib / 1024
    fargate = (
        prices.prices["fargate"].get(service.cpu_architecture) if service.operating_system_family == "LINUX" else None
    )
    if fargate is None:
        platform = f"{service.operating_system_family} {service.cpu_architecture}"
        cost.notes.append(f"{platform} Fargate is not in the price table: compute not priced")
    for provider, tasks in cost.tasks.items():
        kind = PRICED_PROVIDERS.get(provider)
        if tasks == 0 or fargate is None and kind is not None:
            continue
        if kind is None:
            count = f"{_number(tasks)} task{'' if tasks == 1 else 's'}"
            cost.notes.append(f"{count} on capacity provider {provider}: not priced (EC2 instances bill per instance)")
            continue
        label = "Spot" if kind == "spot" else "on-demand"
        assert fargate is not None  # priced providers skip above when the region has no Fargate prices
        rates = fargate[kind]
        cost.items.append(LineItem(f"Fargate {label} vCPU", tasks * vcpu * hours, "vCPU-h", rates["vcpu_hour"]))
        cost.items.append(LineItem(f"Fargate {label} memory", tasks * gb * hours, "GB-h", rates["gb_hour"]))
    if isinstance(service, ServiceConfig) and service.shared_alb is None:
        alb = prices.prices["alb"]
        cost.items.append(LineItem("ALB hours", hours, "h", alb["hour"]))
        cost.items.append(LineItem("ALB LCUs", hours * assumptions.alb_lcu, "LCU-h", alb["lcu_hour"]))
    elif isinstance(service, ServiceConfig):
        cost.notes.append("on a shared ALB: its hours and LCUs are counted with the service that owns it")
    if service.log_driver.name == "awslogs":
        logs = prices.prices["logs"]
        cost.items.append(
            LineItem(
                "CloudWatch Logs ingestion",
                task_count(service) * assumptions.log_gb_per_task * hours / assumptions.hours,
                "GB",
                logs["ingestion_gb"],
            )
        )
    else:
        cost.notes.append(f"the app logs through {service.log_driver.name}: its destination is not priced")
    return cost


def estimate(env: EnvConfig, assumptions: Assumptions, prices: PriceTable | None = None) -> list[ServiceCost]:
    prices = prices or load_prices(env.region)
    return [estimate_workload(env, workload, prices, assumptions) for workload in env.workloads]


def assumption_lines(assumptions: Assumptions, prices: PriceTable) -> list[str]:
    return [
        f"prices: {prices.region}, public on-demand list prices as of {prices.as_of} (constructs_lib/data/prices.json), "
        f"{prices.currency}",
        f"{_number(assumptions.hours)} hours a month, every task running all of them",
        "tasks: desired_count (not the autoscaling range); a scheduled task: one task per run",
        f"scheduled task runs: {_number(assumptions.run_minutes)} minutes each",
        "capacity strategy: base tasks first, the rest split by weight as fractions; default FARGATE_SPOT 2 : FARGATE 1",
        "Fargate Spot at a typical rate, 70% below on-demand: real Spot prices vary by region and over time",
        f"ALB: {_number(assumptions.alb_lcu)} LCU on average every hour",
        f"logs: {_number(assumptions.log_gb_per_task)} GB ingested per task per month (CloudWatch Logs standard class)",
        f"environment stack: {_number(assumptions.waf_requests_million)} million requests a month through the web ACL, "
        f"{_number(assumptions.access_log_gb)} GB of ALB access logs stored",
        "not included: data transfer, NAT gateways, public IPv4, EFS, Secrets Manager, SSM, KMS requests, Route53, ACM, "
        "log storage, ephemeral storage above 20 GiB, taxes, Savings Plans",
    ]


def render(path: str, env: EnvConfig, costs: list[ServiceCost], assumptions: Assumptions, prices: PriceTable) -> str:
    out = [
        f"Monthly cost estimate for {path} ({env.naming.prefix}, {env.region}), {prices.currency}",
        "",
        "Assumptions:",
    ]
    out += [f"  - {line}" for line in assumption_lines(assumptions, prices)]
    environment = estimate_environment(
        env,
        prices.prices,
        waf_requests_million=assumptions.waf_requests_million,
        access_log_gb=assumptions.access_log_gb,
    )
    rows = [
        (name, f"{quantity:,.2f} {unit}", f"{rate:g}", f"{quantity * rate:,.2f}")
        for name, quantity, unit, rate in environment.items
    ]
    out += ["", f"{environment.stack}: shared by the services (clusters and namespaces cost nothing themselves)"]
    out += _table(
        ("ITEM", "QUANTITY", "RATE", "MONTHLY"),
        [*rows, ("subtotal", "", "", f"{environment.monthly:,.2f}")],
        indent="  ",
    )
    for cost in costs:
        service = cost.service
        split = ", ".join(f"{provider} {_number(tasks)}" for provider, tasks in cost.tasks.items())
        out += [
            "",
            f"{cost.stack}: {task_count(service)} x {_number(service.cpu / 1024)} vCPU, "
            f"{_number(service.memory_limit_mib / 1024)} GB, {service.cpu_architecture} (tasks: {split})",
        ]
        rows = [
            (item.name, f"{item.quantity:,.2f} {item.unit}", f"{item.rate:g}", f"{item.monthly:,.2f}")
            for item in cost.items
        ]
        rows.append(("subtotal", "", "", f"{cost.monthly:,.2f}"))
        out += _table(("ITEM", "QUANTITY", "RATE", "MONTHLY"), rows, indent="  ")
        out += [f"  note: {note}" for note in cost.notes]
    total = environment.monthly + sum(cost.monthly for cost in costs)
    totals = [(environment.stack, f"{environment.monthly:,.2f}")] + [
        (cost.stack, f"{cost.monthly:,.2f}") for cost in costs
    ]
    totals.append(("total", f"{total:,.2f}"))
    out += ["", *_table(("STACK", "MONTHLY"), totals)]
    return "\n".join(out) + "\n"


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]], indent: str = "") -> list[str]:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [row[0].ljust(widths[0])] + [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        lines.append(indent + "  ".join(cells).rstrip())
    return lines


def _number(value: float) -> str:
    """1 -> '1', 0.5 -> '0.5', 1.3333 -> '1.33'."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _run(args: argparse.Namespace) -> int:
    (env,) = load_env_files([args.env_file])
    try:
        prices = load_prices(env.region)
    except UnknownRegion as error:
        print(f"{args.env_file}: region: {error}", file=sys.stderr)
        return EXIT_INVALID
    assumptions = Assumptions(
        hours=args.hours, alb_lcu=args.alb_lcu, log_gb_per_task=args.log_gb_per_task, run_minutes=args.run_minutes
    )
    sys.stdout.write(render(args.env_file, env, estimate(env, assumptions, prices), assumptions, prices))
    return 0


def _non_negative(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text} is not a finite number of 0 or more")
    return value


def register(commands: Any) -> None:
    """Add the `cost` subcommand to the CLI's subparsers."""
    parser = commands.add_parser(
        "cost",
        help="estimate each service's monthly cost from the price table shipped in the package",
        description="Estimate each service's monthly cost: Fargate vCPU and GB hours of desired_count tasks with the "
        "Spot/on-demand split of its capacity strategy, its ALB's hours and LCUs, and log ingestion, from a dated "
        "price table of the env's region (constructs_lib/data/prices.json; regions: eu-central-1, eu-west-1, "
        "us-east-1, us-west-2). Every assumption is printed with the estimate.",
        epilog="Exit codes: 0 success, 2 invalid env file or a region not in the price table.",
    )
    parser.add_argument("env_file", metavar="ENV_FILE")
    parser.add_argument(
        "--hours",
        type=_non_negative,
        default=float(HOURS_PER_MONTH),
        help=f"hours each task and ALB runs in the month (default: {HOURS_PER_MONTH})",
    )
    parser.add_argument(
        "--alb-lcu",
        type=_non_negative,
        default=1.0,
        help="average LCUs each ALB uses every hour, i.e. the traffic assumption (default: 1.0; one LCU is e.g. "
        "25 new connections/s, 3,000 active connections or 1 GB/h processed)",
    )
    parser.add_argument(
        "--log-gb-per-task",
        type=_non_negative,
        default=2.0,
        help="GB of logs each task sends to CloudWatch Logs in the month (default: 2.0)",
    )
    parser.add_argument(
        "--run-minutes",
        type=_non_negative,
        default=10.0,
        help="minutes each run of a scheduled task lasts (default: 10)",
    )
    parser.set_defaults(run=_run)
