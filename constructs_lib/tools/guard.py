"""Plan-safety guard: what a later synth would make Terraform (or CI) destroy, replace or orphan, compared with the
lock file (guard_lock.py) of every stack's state location, resource addresses and replacement-forcing values.

Which values force a replacement comes from the provider's own plans (force_new.py, data/force_new.json), not a
hand list. The lock changes only on purpose (`--update`), so a change that would recreate a production ALB, or
start a stack on a new, empty state, is caught in review, before `terraform plan` is even run.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from . import force_new
from .force_new import MISSING, value_at

# Types whose replacement is how an ordinary change is applied, not a loss: recorded by address only. A task
# definition change registers a new revision, which is how every deployment rolls.
ROUTINE = frozenset({"aws_ecs_task_definition"})
RENAME_SIMILARITY = 0.8  # share of resource addresses a new stack must have in common with a gone one

Stack = dict[str, Any]  # {"state": {...}, "region": str, "resources": {address: {path: value}}}


def fingerprint(document: dict[str, Any]) -> Stack:
    """A stack's state location, provider region and, per resource address, the values of the paths whose change
    replaces it (plus the `lifecycle.ignore_changes` that makes Terraform skip some)."""
    backend = document.get("terraform", {}).get("backend", {})
    state: dict[str, Any] = next(iter(backend.values()), {})
    providers = document.get("provider", {}).get("aws", [{}])
    resources = {
        f"{kind}.{name}": _watched_values(kind, body)
        for kind, items in document.get("resource", {}).items()
        for name, body in items.items()
    }
    stack: Stack = {
        "state": {key: state[key] for key in ("bucket", "key", "region", "path") if key in state},
        "region": providers[0].get("region"),
        "resources": dict(sorted(resources.items())),
    }
    forgotten = _forgotten(document)
    if forgotten:
        stack["forgotten"] = forgotten
    return stack


def _forgotten(document: dict[str, Any]) -> list[str]:
    """Addresses the stack hands over without destroying them (`removed` blocks with lifecycle destroy = false):
    the environment stack adopts them (stacks/migration.py)."""
    return sorted(
        block["from"]
        for block in document.get("removed", [])
        if isinstance(block, dict) and block.get("lifecycle", {}).get("destroy") is False
    )


def _watched_values(kind: str, body: dict[str, Any]) -> dict[str, Any]:
    values = {path: value_at(body, path) for path in _statuses(kind, body)}
    ignored = body.get("lifecycle", {}).get("ignore_changes")
    if ignored:
        values["lifecycle.ignore_changes"] = ignored
    return {path: value for path, value in sorted(values.items()) if value is not MISSING}


def _statuses(kind: str, body: dict[str, Any] | None = None) -> dict[str, str]:
    """The watched paths of a type; a type the generator never planned: every top-level attribute, unknown."""
    watched = {} if kind in ROUTINE else force_new.watched(kind)
    if watched is not None:
        return watched
    meta = ("//", "depends_on", "provider", "lifecycle")
    return {key: "unknown" for key in (body or {}) if not key.startswith(meta)}


def fingerprint_outdir(outdir: Path) -> dict[str, Stack]:
    return {
        path.parent.name: fingerprint(json.loads(path.read_text()))
        for path in sorted(outdir.glob("stacks/*/cdk.tf.json"))
    }


def findings(locked: dict[str, Stack], current: dict[str, Stack], *, same_data: bool = True) -> list[str]:
    """One line per thing the current synth would destroy, replace or orphan, in words saying what Terraform and
    CI will do. A lock written with other force_new.json data (`same_data` false) is compared on the values it
    holds only: a path it did not watch is not a change."""
    renamed = renames(locked, current)
    problems = [_renamed(old, new, locked[old], current[new]) for old, new in renamed.items()]
    for stack, before in locked.items():
        if stack in renamed:
            continue
        after = current.get(stack)
        if after is None:
            problems.append(
                f"{stack}: the stack is gone: CI no longer plans or applies it, so its {_count(before)} stay in AWS, "
                f"orphaned in {_where(before['state'])} (destroy them from the last synth with terraform destroy, "
                "or keep the service)"
            )
        else:
            problems += _moved(stack, before, after) or _resource_changes(stack, before, after, same_data)
    return problems


def renames(locked: dict[str, Stack], current: dict[str, Stack]) -> dict[str, str]:
    """Gone stack -> new stack holding (nearly) the same resource addresses: a renamed service."""
    gone = [stack for stack in locked if stack not in current]
    new = [stack for stack in current if stack not in locked]
    pairs = sorted(
        ((-_similarity(locked[old], current[candidate]), old, candidate) for old in gone for candidate in new),
    )
    found: dict[str, str] = {}
    for score, old, candidate in pairs:
        if -score >= RENAME_SIMILARITY and old not in found and candidate not in found.values():
            found[old] = candidate
    return found


def _similarity(a: Stack, b: Stack) -> float:
    first, second = set(a["resources"]), set(b["resources"])
    return len(first & second) / len(first | second) if first | second else 0.0


def _renamed(old: str, new: str, before: Stack, after: Stack) -> str:
    return (
        f"{old} -> {new}: a renamed service, or one removed and another added (the two hold nearly the same "
        f"addresses): {new} starts on a new, empty state ({_where(after['state'])}), so Terraform plans to create "
        f"all {_count(after)} (any whose AWS name did not change collides with the live one), and CI no longer "
        f"plans {old}: its {_count(before)} stay in AWS, orphaned in {_where(before['state'])}. For a rename, keep "
        "the old name, or move them first (`removed` with destroy = false in the old stack, `import` blocks in the "
        "new one); for a removal, destroy the old stack from its last synth first"
    )


def _moved(stack: str, before: Stack, after: Stack) -> list[str]:
    """A changed state location or provider region: Terraform no longer sees what it manages."""
    if before.get("state") is not None and before["state"] != after["state"]:
        return [
            f"{stack}: state location {_where(before['state'])} -> {_where(after['state'])}: a new, empty state: "
            f"Terraform would create everything again ({_count(after)}) and the old state's {_count(before)} "
            "would be orphaned"
        ]
    if before.get("region") is not None and before["region"] != after["region"]:
        return [
            f"{stack}: region {before['region']} -> {after['region']}: Terraform would look for every resource in "
            f"{after['region']}, not find the regional ones and create them again there; those in "
            f"{before['region']} would be orphaned, no longer in any state"
        ]
    return []


def _resource_changes(stack: str, before: Stack, after: Stack, same_data: bool) -> list[str]:
    problems: list[str] = []
    replaced: dict[str, set[str]] = {}  # address -> the paths that changed
    for address, old in before["resources"].items():
        new = after["resources"].get(address)
        if new is None:
            if address not in after.get("forgotten", []):
                problems.append(f"{stack}: {address}: removed: Terraform will destroy it")
            continue
        kind = address.split(".", 1)[0]
        ignored = set(_ignored(new)) | set(_ignored(old))
        statuses = _statuses(kind, old)
        for path in sorted(set(old) | set(new) if same_data else set(old)):
            status = statuses.get(path)
            was, now = old.get(path, MISSING), new.get(path, MISSING)
            if status is None or was == now or path.split(".", 1)[0] in ignored or "all" in ignored:
                continue
            if _handed_over(was, now, before["resources"], after.get("forgotten", [])):
                continue
            if status == "replace" and force_new.in_place(kind, path, was, now, old, new):
                continue  # replaced only under a condition these values do not meet (force_new.IN_PLACE_RULES)
            replaced.setdefault(address, set()).add(path)
            change = f"{stack}: {address}: {path} {_show(was)} -> {_show(now)}"
            problems.append(
                f"{change} forces a replacement (destroy and recreate)"
                if status == "replace"
                else f"{change}: whether this replaces it could not be planned offline (force_new.json says unknown): "
                "treated as a replacement"
            )
    return problems + _cascade(stack, replaced, after["resources"])


def _handed_over(was: Any, now: Any, resources: dict[str, dict[str, Any]], forgotten: list[str]) -> bool:
    """A reference to a resource the stack hands over (`forgotten`) became its literal name or ARN: the same value,
    since the environment stack adopts that very resource (`${aws_ecs_cluster.cluster.id}` -> the cluster's ARN,
    `${aws_ecs_cluster.cluster.name}` -> its recorded name)."""
    if was is MISSING or now is MISSING or not forgotten:
        return False
    old_text, new_text = json.dumps(was), json.dumps(now)
    pattern, position, handed = "", 0, False
    for found in re.finditer(r"\$\{([\w-]+\.[\w-]+)\.(\w+)\}", old_text):
        address, attribute = found.groups()
        if address not in forgotten:
            continue  # a reference that stays
        name = resources.get(address, {}).get("name")
        if not isinstance(name, str) or attribute not in ("id", "arn", "name"):
            return False
        literal = re.escape(name) if attribute == "name" else rf"arn:aws[\w-]*:[^\s\"]*[:/]{re.escape(name)}"
        pattern += re.escape(old_text[position : found.start()]) + literal
        position, handed = found.end(), True
    return handed and re.fullmatch(pattern + re.escape(old_text[position:]), new_text) is not None


def _ignored(values: dict[str, Any]) -> list[str]:
    ignored = values.get("lifecycle.ignore_changes", [])
    return [ignored] if isinstance(ignored, str) else ignored


def _cascade(stack: str, replaced: dict[str, set[str]], resources: dict[str, dict[str, Any]]) -> list[str]:
    """Whatever refers at a replacement path to a replaced resource's new value is replaced with it (a renamed ALB
    takes its listeners and WAF association along): an attribute the lock does not track (id, ARN) is unknown
    until apply, a tracked one only when it changed."""
    problems, pending = [], sorted(replaced)
    while pending:
        target = pending.pop(0)
        for address, values in resources.items():
            path = next(
                (
                    path
                    for path, value in sorted(values.items())
                    if path != "lifecycle.ignore_changes"
                    and _refers_to_new_value(json.dumps(value), target, replaced[target], resources[target])
                ),
                None,
            )
            if address not in replaced and path is not None:
                replaced[address] = set()
                pending.append(address)
                problems.append(f"{stack}: {address}: replaced too: its {path} refers to {target}, which is replaced")
    return problems


def _refers_to_new_value(text: str, target: str, changed: set[str], tracked: dict[str, Any]) -> bool:
    attributes = re.findall(rf"\$\{{{re.escape(target)}\.(\w+)", text)
    return any(attribute in changed or attribute not in tracked for attribute in attributes)


def additions(locked: dict[str, Stack], current: dict[str, Stack]) -> list[str]:
    """What the lock does not hold yet: a whole new stack in one entry, else each new address."""
    found = []
    for stack, fingerprinted in current.items():
        if stack not in locked:
            found.append(f"{stack} (a new stack of {_count(fingerprinted)})")
            continue
        found += [
            f"{stack}: {address}" for address in fingerprinted["resources"] if address not in locked[stack]["resources"]
        ]
    return found


def _show(value: Any) -> str:
    return "(unset)" if value is MISSING else json.dumps(value, separators=(", ", ": "))


def _count(stack: Stack) -> str:
    count = len(stack["resources"])
    return f"{count} resource{'' if count == 1 else 's'}"


def _where(state: dict[str, Any] | None) -> str:
    if not state:
        return "its state"
    if "path" in state:
        return f"the local state {state['path']}"
    return f"s3://{state.get('bucket')}/{state.get('key')} ({state.get('region')})"
