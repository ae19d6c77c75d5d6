#!/usr/bin/env python3
"""Regenerate constructs_lib/data/force_new.json: which attribute paths the library sets force Terraform to replace
the resource, as the AWS provider itself answers (run by hand: `python scripts/force_new.py`).

`terraform providers schema -json` does not carry ForceNew; the provider's PlanResourceChange answer does
(`replace_paths` of a saved plan). So, offline, with the provider of the local mirror:

1. synthesize every stack of envs/ and tests/fixtures/ and collect the resources the library emits;
2. per resource type, a few bodies that together set every attribute path seen (references become literals);
3. one local state holding, per body, a control (state == config) and one copy per leaf path whose *state* value
   differs at that path only (the config stays exactly what the library wrote, so it passes validation);
4. one `terraform plan -refresh=false`: a path is `replace` when its copy is replaced for a path the control is
   not, `update` otherwise; `unknown` when the plan of that body failed (the guard reports such changes).

The guard reads only the result; tests/test_guard_data.py re-plans a few entries so the file cannot drift.
"""

from __future__ import annotations

import copy
import datetime
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import tf  # noqa: E402  (tests/tf.py: terraform offline, provider from the local mirror)

PROVIDER_VERSION = "5.100.0"
OUTPUT = ROOT / "constructs_lib" / "data" / "force_new.json"
META = {"//", "lifecycle", "depends_on", "provider", "count", "for_each"}
PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]'
POLICY = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole",' \
         '"Principal":{"Service":"ecs-tasks.amazonaws.com"}}]}'
# A reference's value offline, by the attribute it reads: valid for the provider's validators, never planned.
REFERENCE_VALUES = {
    "arn": "arn:aws:iam::111111111111:role/placeholder", "json": POLICY, "arn_suffix": "app/placeholder/0123",
    "latest_version": "1", "zone_id": "Z0123456789ABCDEFGHIJ", "dns_name": "placeholder.example.com",
    "fqdn": "placeholder.example.com", "service_namespace": "ecs", "scalable_dimension": "ecs:service:DesiredCount",
    "resource_id": "service/placeholder/placeholder", "certificate_arn": "arn:aws:acm:eu-west-1:1:certificate/x",
    "resource_record_type": "CNAME",
}
REFERENCE = re.compile(r"(?<!\$)\$\{([^{}]*)\}")


def literal(value: Any) -> Any:
    """The body with every Terraform reference replaced by a plausible literal (the plan runs without them)."""
    if isinstance(value, dict):
        return {k: literal(v) for k, v in value.items() if k not in META}
    if isinstance(value, list):
        return [literal(v) for v in value]
    if isinstance(value, str) and "${" in value:
        return REFERENCE.sub(lambda m: REFERENCE_VALUES.get(re.split(r"[.)]", m.group(1))[-1], "placeholder"), value)
    return value


def leaves(value: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """Every leaf (a scalar, or a list of scalars) of a state-shaped body with its concrete path, as a plan's."""
    if isinstance(value, dict):
        for key, item in sorted(value.items()):
            yield from leaves(item, path + (key,))
    elif isinstance(value, list) and value and all(isinstance(v, (dict, list)) for v in value):
        for index, item in enumerate(value):
            yield from leaves(item, path + (index,))
    else:
        yield path, value


def general(path: tuple | list) -> str:
    """`capacity_provider_strategy.*.weight`: indices become `*`."""
    return ".".join("*" if isinstance(step, int) else str(step) for step in path)


def mutated(value: Any) -> Any:
    """A different value of the same type (JSON strings stay JSON, lists keep their length)."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, (int, float)):
        return value + 1
    if isinstance(value, list):
        return [mutated(value[0]), *value[1:]] if value else ["x"]
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.dumps(_mutate_json(json.loads(value)))
        except ValueError:
            pass
    return f"{value}x" if isinstance(value, str) else "x"


def _mutate_json(document: Any) -> Any:
    for path, leaf in leaves(document):
        if isinstance(leaf, str):
            return _set(copy.deepcopy(document), path, leaf + "x")
    return [document] if isinstance(document, dict) else document + [1]


def _set(document: Any, path: tuple, value: Any) -> Any:
    node = document
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return document


def shaped(schema: dict, body: dict) -> dict:
    """The state attributes of a config body, typed as the provider's schema says (missing ones are null)."""
    out = {}
    for name, attribute in schema.get("attributes", {}).items():
        if name in body:
            out[name] = _typed(attribute.get("type", "dynamic"), body[name])
    for name, block in schema.get("block_types", {}).items():
        if name in body:
            items = body[name] if isinstance(body[name], list) else [body[name]]
            rows = [shaped(block["block"], item) for item in items]
            out[name] = rows[0] if block["nesting_mode"] == "single" else rows
    return out


def _typed(kind: Any, value: Any) -> Any:
    if kind == "string":
        return json.dumps(value) if isinstance(value, bool) else str(value)
    if kind == "number":
        return float(value) if "." in str(value) else int(value)
    if kind == "bool":
        return value in (True, "true")
    if isinstance(kind, list) and kind[0] in ("list", "set"):
        return [_typed(kind[1], v) for v in value]
    if isinstance(kind, list) and kind[0] == "map":
        return {k: _typed(kind[1], v) for k, v in value.items()}
    return value


def unescape(value: Any) -> Any:
    """What Terraform makes of a literal the library escaped (`$${` is `${`): the state holds that."""
    if isinstance(value, dict):
        return {k: unescape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unescape(v) for v in value]
    return value.replace("$${", "${").replace("%%{", "%{") if isinstance(value, str) else value


def corpus(outdir: Path) -> dict[str, list[dict]]:
    """Every resource body the library emits for the shipped env files and the fixtures, by type."""
    env_files = sorted(str(p) for p in [*ROOT.glob("envs/*.json"), *ROOT.glob("tests/fixtures/*.json")])
    subprocess.run([sys.executable, "-m", "constructs_lib", "synth", *env_files, "--outdir", str(outdir)],
                   check=True, capture_output=True, cwd=ROOT)
    bodies: dict[str, list[dict]] = {}
    for path in sorted(outdir.glob("stacks/*/cdk.tf.json")):
        for kind, resources in json.loads(path.read_text()).get("resource", {}).items():
            bodies.setdefault(kind, []).extend(literal(body) for _, body in sorted(resources.items()))
    return bodies


def covering(bodies: list[dict], schema: dict) -> list[tuple[dict, dict]]:
    """A few (config, state) bodies that together set every leaf path seen, greedily."""
    chosen, covered = [], set()
    for config in sorted(bodies, key=lambda b: -len(list(leaves(shaped(schema, b))))):
        state = shaped(schema, unescape(config))
        paths = {general(path) for path, _ in leaves(state)}
        if paths - covered:
            chosen.append((config, state))
            covered |= paths
    return chosen


def experiments(bodies: dict[str, list[dict]], schemas: dict) -> list[dict]:
    """One control and one mutated copy per leaf path of each chosen body: name, type, config, state, path."""
    runs = []
    for kind in sorted(bodies):
        schema = schemas[kind]["block"]
        for number, (config, state) in enumerate(covering(bodies[kind], schema)):
            base = {"type": kind, "config": config, "body": f"{kind}.b{number}", "version": schemas[kind]["version"]}
            runs.append({**base, "name": f"b{number}_control", "state": state, "path": None})
            for index, (path, value) in enumerate(leaves(state)):
                changed = _set(copy.deepcopy(state), path, mutated(value))
                runs.append({**base, "name": f"b{number}_v{index}", "state": changed, "path": general(path)})
    return runs


def plan(workdir: Path, runs: list[dict]) -> tuple[dict[str, list], list[str]]:
    """Plan every run at once: the replace paths per address, and the diagnostics' addresses/files that failed."""
    for old in workdir.glob("r_*.tf.json"):
        old.unlink()
    for run in runs:
        (workdir / f"r_{run['type']}_{run['name']}.tf.json").write_text(
            json.dumps({"resource": {run["type"]: {run["name"]: run["config"]}}}))
    instances = [{"mode": "managed", "type": r["type"], "name": r["name"], "provider": PROVIDER, "instances": [
        {"schema_version": r["version"], "attributes": {**r["state"], "id": f"placeholder-{r['name']}"},
         "sensitive_attributes": []}]} for r in runs]
    (workdir / "terraform.tfstate").write_text(json.dumps(
        {"version": 4, "terraform_version": "1.11.4", "serial": 1, "lineage": "force-new", "outputs": {},
         "resources": instances}))
    result = tf.terraform(["plan", "-refresh=false", "-lock=false", "-json", "-out=plan.bin"], workdir, check=False)
    failed = [_where(json.loads(line)["diagnostic"]) for line in result.stdout.splitlines()
              if '"diagnostic"' in line and json.loads(line).get("diagnostic", {}).get("severity") == "error"]
    if result.returncode != 0:
        return {}, failed or ["*"]
    changes = tf.show_json(workdir, "plan.bin").get("resource_changes", [])
    return {c["address"]: c["change"].get("replace_paths", []) for c in changes}, []


def _where(diagnostic: dict) -> str:
    if diagnostic.get("address"):
        return diagnostic["address"]
    match = re.fullmatch(r"r_(.+)_(b\d+_\w+)\.tf\.json", Path(diagnostic.get("range", {}).get("filename", "")).name)
    return f"{match[1]}.{match[2]}" if match else "*"


def classify(runs: list[dict], replaced: dict[str, list]) -> dict[str, dict[str, str]]:
    """Per type and path: `replace` when the mutated copy is replaced for a path its control is not."""
    controls = {r["body"]: {general(p) for p in replaced[f"{r['type']}.{r['name']}"]} for r in runs if not r["path"]}
    found: dict[str, dict[str, str]] = {}
    for run in (r for r in runs if r["path"]):
        control = controls[run["body"]]
        paths = {general(p) for p in replaced[f"{run['type']}.{run['name']}"]}
        status = "unknown" if run["path"] in control else "replace" if paths - control else "update"
        _record(found.setdefault(run["type"], {}), run["path"], status)
    return found


RANK = {"update": 0, "unknown": 1, "replace": 2}


def _record(paths: dict[str, str], path: str, status: str) -> None:
    """Two bodies may disagree (a CustomizeDiff reads other attributes): the more conservative answer wins."""
    if RANK[status] >= RANK[paths.get(path, "update")]:
        paths[path] = status


def workspace(workdir: Path) -> dict:
    """An initialized folder with the provider pinned to the mirror's version; returns its resource schemas."""
    (workdir / "main.tf.json").write_text(json.dumps({
        "terraform": {"required_providers": {"aws": {"source": "hashicorp/aws", "version": PROVIDER_VERSION}}},
        "provider": {"aws": {"region": "eu-west-1", "access_key": "testing", "secret_key": "testing",
                             "skip_credentials_validation": True, "skip_requesting_account_id": True,
                             "skip_metadata_api_check": True, "skip_region_validation": True, "max_retries": 1}},
    }))
    tf.terraform(["init"], workdir)
    schemas = json.loads(subprocess.run(["terraform", "providers", "schema", "-json"], cwd=workdir, check=True,
                                        env=tf.terraform_env(), capture_output=True, text=True).stdout)
    return schemas["provider_schemas"]["registry.terraform.io/hashicorp/aws"]["resource_schemas"]


def derive(bodies: dict[str, list[dict]], workdir: Path, schemas: dict) -> dict[str, dict[str, str]]:
    """Plan all experiments in `workdir` (a workspace()); a body whose plan fails is retried without the others'
    failures, then `unknown`."""
    runs = experiments(bodies, schemas)
    unknown: dict[str, dict[str, str]] = {}
    for _ in range(4):
        replaced, failed = plan(workdir, runs)
        if not failed:
            break
        if "*" in failed:
            raise SystemExit(f"force_new: the plan failed and no resource was named: {failed}")
        bad = {r["body"] for r in runs if f"{r['type']}.{r['name']}" in failed}
        for run in (r for r in runs if r["body"] in bad and r["path"]):
            _record(unknown.setdefault(run["type"], {}), run["path"], "unknown")
        runs = [r for r in runs if r["body"] not in bad]
    else:
        raise SystemExit("force_new: the plan kept failing")
    found = classify(runs, replaced)
    for kind, paths in unknown.items():
        for path, status in paths.items():
            _record(found.setdefault(kind, {}), path, status)
    return found


def document(found: dict[str, dict[str, str]]) -> dict:
    version = subprocess.run(["terraform", "version", "-json"], capture_output=True, text=True, check=True)
    return {
        "provider": f"registry.terraform.io/hashicorp/aws {PROVIDER_VERSION}",
        "terraform": json.loads(version.stdout)["terraform_version"],
        "generated": datetime.date.today().isoformat(),
        "how": "scripts/force_new.py: the provider's plan of a changed state value at each path the library sets",
        "resources": {kind: {status: sorted(p for p, s in paths.items() if s == status)
                             for status in ("replace", "update", "unknown")} for kind, paths in sorted(found.items())},
    }


def main() -> int:
    reason = tf.missing_reason()
    if reason:
        print(f"force_new: {reason}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as scratch:
        bodies = corpus(Path(scratch) / "out")
        workdir = Path(scratch) / "plan"
        workdir.mkdir()
        result = document(derive(bodies, workdir, workspace(workdir)))
    OUTPUT.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
    counts = {s: sum(len(r[s]) for r in result["resources"].values()) for s in ("replace", "update", "unknown")}
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {len(result['resources'])} resource types, {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
