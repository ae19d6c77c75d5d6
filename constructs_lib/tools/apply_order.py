"""The order stacks are applied in, and the batches CI plans and applies them in. Pure: stacks in, order out.

Apply order: every bootstrap stack first (it creates the state bucket the others keep their state in), then one
environment after the other in the declared order (dev before staging before prod), and within an environment
its environment stack (what its workloads share) before the stacks of its services, workers and scheduled tasks
(phase `service`). Stacks of one environment and phase keep the order they were given in.

A GitHub Actions matrix holds at most 256 jobs, so stacks are batched: one job plans (and applies) a few stacks
of one environment, phase, account and region, one after the other. The batch size is the smallest that fits
the limit: one stack per job while the stacks fit, two once they do not, and so on.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby

PHASES = ("bootstrap", "environment", "service")
MATRIX_LIMIT = 256  # GitHub refuses a matrix of more jobs


@dataclass(frozen=True)
class StackInfo:
    """What the order and the matrix need of a stack: its name, and where its provider points."""

    name: str
    environment: str
    account_id: str = ""
    region: str = ""

    @property
    def phase(self) -> str:
        """`bootstrap-<env>` (stacks/bootstrap.py), `<env>-environment`, or a workload's stack (service phase)."""
        if self.name == f"bootstrap-{self.environment}":
            return "bootstrap"
        if self.name == f"{self.environment}-environment":
            return "environment"
        return "service"


def apply_order(stacks: Iterable[StackInfo], environments: Sequence[str] = ()) -> list[StackInfo]:
    """`stacks` in apply order. Environments run in the order of `environments`; those it does not name come after
    them, alphabetically."""
    given = list(stacks)
    rank = {environment: index for index, environment in enumerate(environments)}
    for environment in sorted({stack.environment for stack in given} - rank.keys()):
        rank[environment] = len(rank)
    return sorted(given, key=lambda s: (s.phase != "bootstrap", rank[s.environment], PHASES.index(s.phase)))


@dataclass(frozen=True)
class Batch:
    """Stacks one CI job plans (and applies) one after the other: one environment, phase, account and region."""

    environment: str
    phase: str
    account_id: str
    region: str
    stacks: tuple[str, ...]

    def matrix_entry(self, number: int) -> dict[str, str]:
        """One entry of the matrix's `include`; `stacks` space-separated (a stack name has no spaces)."""
        return {
            "batch": f"{number:03d}-{self.environment}-{self.phase}",
            "environment": self.environment,
            "phase": self.phase,
            "account_id": self.account_id,
            "region": self.region,
            "stacks": " ".join(self.stacks),
        }


def batches(ordered: Sequence[StackInfo], limit: int = MATRIX_LIMIT) -> list[Batch]:
    """`ordered` (apply order) cut into at most `limit` batches, each of one environment, phase, account and region,
    all of the same size but the last of each group. Raises ValueError when the groups alone exceed `limit`."""
    groups = [
        (key, [stack.name for stack in members])
        for key, members in groupby(ordered, key=lambda s: (s.environment, s.phase, s.account_id, s.region))
    ]
    if len(groups) > limit:
        raise ValueError(f"{len(groups)} environment/account/region groups need more than {limit} jobs")
    size = 1
    while sum(math.ceil(len(names) / size) for _, names in groups) > limit:
        size += 1
    return [
        Batch(*key, stacks=tuple(names[start : start + size]))
        for key, names in groups
        for start in range(0, len(names), size)
    ]


def matrix(ordered: Sequence[StackInfo], limit: int = MATRIX_LIMIT) -> dict[str, list[dict[str, str]]]:
    """The GitHub Actions matrix of `ordered`: `{"include": [batch entry, ...]}` in apply order."""
    return {"include": [batch.matrix_entry(number) for number, batch in enumerate(batches(ordered, limit), 1)]}
