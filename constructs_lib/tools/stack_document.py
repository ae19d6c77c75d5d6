"""A synthesized stack (`cdk.tf.json`) read as blocks and the references between them: pure Python, no cdktf.

A reference is what Terraform sees: an address inside a `${...}` interpolation (`$${` is literal text, not one), or
a literal ARN equal to the `arn` a data source looks up (a listener rule on a shared listener names its ARN).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# `${...}` with one level of nested braces, not preceded by an odd number of `$` (`$${` is an escaped literal).
_INTERPOLATION = re.compile(r"(?<!\$)(?:\$\$)*\$\{((?:[^{}]|\{[^{}]*\})*)\}")
_ADDRESS = re.compile(r"(?<![\w.])((?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z_][\w-]*)")


@dataclass(frozen=True)
class Block:
    """One resource or data source: `address` is `aws_lb.alb` or `data.aws_lb.alb`."""

    address: str
    type: str
    name: str
    body: dict[str, Any]
    existing: bool  # a data source: something that exists already, looked up

    def get(self, path: str, default: Any = None) -> Any:
        """The value at a dotted path (`health_check.path`); `default` when a step is missing."""
        value: Any = self.body
        for step in path.split("."):
            if not isinstance(value, dict) or step not in value:
                return default
            value = value[step]
        return value


@dataclass(frozen=True)
class Reference:
    source: str  # address of the block that refers
    key: str  # the top-level attribute holding the reference (`default_action`, `policy`)
    text: str  # the whole string holding it
    target: str  # the referred block's address


class StackDocument:
    """The blocks of one stack in document order (resources, then data sources) and their references."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.name: str = document.get("//", {}).get("metadata", {}).get("stackName", "stack")
        provider = document.get("provider", {}).get("aws", [{}])[0]
        self.region: str = provider.get("region", "")
        self.account: str = ", ".join(provider.get("allowed_account_ids", []))
        self.outputs: dict[str, Any] = document.get("output", {})
        self.blocks: dict[str, Block] = {}
        for block_kind, prefix in (("resource", ""), ("data", "data.")):
            for type_, items in document.get(block_kind, {}).items():
                for name, body in items.items():
                    address = f"{prefix}{type_}.{name}"
                    body = {k: v for k, v in body.items() if k != "//"}
                    self.blocks[address] = Block(address, type_, name, body, bool(prefix))
        self._looked_up = {b.get("arn"): b.address for b in self.blocks.values() if b.existing and b.get("arn")}
        self.references = [ref for block in self.blocks.values() for ref in self._references_of(block)]

    def of_type(self, type_: str) -> list[Block]:
        return [block for block in self.blocks.values() if block.type == type_]

    def refs_from(self, address: str) -> list[Reference]:
        return [ref for ref in self.references if ref.source == address]

    def refs_to(self, address: str) -> list[Reference]:
        return [ref for ref in self.references if ref.target == address]

    def _references_of(self, block: Block) -> Iterator[Reference]:
        seen: set[tuple[str, str]] = set()
        for key, value in block.body.items():
            if key in ("depends_on", "lifecycle", "provider"):
                continue
            for text in _strings(value):
                targets = [a for a in addresses_in(text) if a in self.blocks]
                targets += [self._looked_up[text]] if text in self._looked_up else []
                for target in targets:
                    if target != block.address and (key, target) not in seen:
                        seen.add((key, target))
                        yield Reference(block.address, key, text, target)


def addresses_in(text: str) -> list[str]:
    """The addresses named inside the `${...}` interpolations of `text`, in order."""
    return [address for span in _INTERPOLATION.findall(text) for address in _ADDRESS.findall(span)]


def _strings(value: Any) -> Iterator[str]:
    """Every string of a JSON value, depth first; JSON embedded in a string (policies) is one string."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def policy_statements(text: str) -> list[dict[str, Any]]:
    """The statements of an IAM policy document held in a string."""
    statements = json.loads(text).get("Statement", [])
    return statements if isinstance(statements, list) else [statements]
