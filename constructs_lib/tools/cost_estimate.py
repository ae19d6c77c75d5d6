"""The arithmetic of `cost ENV_FILE` (cost.py prints it with every assumption): each workload's monthly cost,
estimated from the dated price table shipped in the package (`constructs_lib/data/prices.json`). Kept apart from
the report so the numbers are tested without parsing the printed tables.

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
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from ..config import EnvConfig, ServiceConfig
from ..config.service_names import Workload
from ..config.workloads import ScheduledTaskConfig
from ..constructs.conventions import DEFAULT_CAPACITY_STRATEGY
from ..props.task import EcsServiceOptions
from .cost_schedule import HOURS_PER_DAY, HOURS_PER_MONTH, runs_per_month

PRICED_PROVIDERS = {"FARGATE": "on_demand", "FARGATE_SPOT": "spot"}


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
    cost.notes.append(f"{number(counted)} runs a month ({how}) of {number(assumptions.run_minutes)} minutes each")
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
            count = f"{number(tasks)} task{'' if tasks == 1 else 's'}"
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
    elif isinstance(service, ServiceConfig) and service.shared_alb is not None and service.shared_alb.load_balancer:
        cost.notes.append(
            f"on the environment's ALB {service.shared_alb.load_balancer!r}: its hours are counted with the "
            "environment stack"
        )
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


def number(value: float) -> str:
    """1 -> '1', 0.5 -> '0.5', 1.3333 -> '1.33'."""
    return f"{value:.2f}".rstrip("0").rstrip(".")
