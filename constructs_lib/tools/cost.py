"""`cost ENV_FILE`: each workload's monthly cost and the environment stack's, printed as tables with every
assumption the estimate makes. The arithmetic lives in cost_estimate.py (services, workers, scheduled tasks) and
cost_environment.py (the environment stack); this module only reports it and parses the command's arguments.

Exit codes: 0 success, 2 invalid env file or a region the price table does not have.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from ..config import EnvConfig, load_env_files
from .cost_environment import estimate_environment
from .cost_estimate import (
    Assumptions,
    PriceTable,
    ServiceCost,
    UnknownRegion,
    estimate,
    load_prices,
    number,
    task_count,
)
from .cost_schedule import HOURS_PER_MONTH

EXIT_INVALID = 2


def assumption_lines(assumptions: Assumptions, prices: PriceTable) -> list[str]:
    return [
        f"prices: {prices.region}, public on-demand list prices as of {prices.as_of} (constructs_lib/data/prices.json), "
        f"{prices.currency}",
        f"{number(assumptions.hours)} hours a month, every task running all of them",
        "tasks: desired_count (not the autoscaling range); a scheduled task: one task per run",
        f"scheduled task runs: {number(assumptions.run_minutes)} minutes each",
        "capacity strategy: base tasks first, the rest split by weight as fractions; default FARGATE_SPOT 2 : FARGATE 1",
        "Fargate Spot at a typical rate, 70% below on-demand: real Spot prices vary by region and over time",
        f"ALB: {number(assumptions.alb_lcu)} LCU on average every hour",
        f"logs: {number(assumptions.log_gb_per_task)} GB ingested per task per month (CloudWatch Logs standard class)",
        f"environment stack: {number(assumptions.waf_requests_million)} million requests a month through the web ACL, "
        f"{number(assumptions.access_log_gb)} GB of ALB access logs stored",
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
        split = ", ".join(f"{provider} {number(tasks)}" for provider, tasks in cost.tasks.items())
        out += [
            "",
            f"{cost.stack}: {task_count(service)} x {number(service.cpu / 1024)} vCPU, "
            f"{number(service.memory_limit_mib / 1024)} GB, {service.cpu_architecture} (tasks: {split})",
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
