"""Issue 13's upgrade path, run as a user runs it against its own emulator, in the background of the e2e session.

1. The old layout: the stacks release fcba2c2 synthesized (fixtures/upgrade-v1, each service stack owning its
   cluster, one its Service Connect namespace) are applied to a seeded account.
2. The README's one-time sequence: `import_existing` set and synthesized with the current code; the environment
   stack planned (the plan saved and recorded) and applied; then each service stack planned and applied.
3. Every stack re-planned (`-detailed-exitcode`); then `import_existing` removed, synthesized again, re-planned.

boto3 records the clusters, services and namespaces after each phase. The flow is mostly the provider's fixed
waits, so conftest.py starts it when test_upgrade_e2e.py is collected; the test joins it and checks the record.
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tf

from constructs_lib.config import load_env_file

from . import emulator, seed
from .harness import Moto, Timer
from .overrides import write_override
from .pipeline import cli, finish
from .seed_env import seed_env_file

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "upgrade-v1"
ENV_FILE = FIXTURE / "upgrade.json"  # the ids are those seed_env.py gives moto (custom ids)
OLD_STACKS = FIXTURE / "stacks"  # what fcba2c2 synthesized from ENV_FILE (make_upgrade_fixture.py)
ENVIRONMENT_STACK = "upgrade-environment"
PLAN_FILE = "upgrade.tfplan"
TIMEOUT_SECONDS = 1500
# Phases, in order, each followed by a boto3 look at what runs.
OLD, UPGRADED, FINAL = "old layout applied", "upgraded", "import_existing removed"


@dataclass(frozen=True)
class Change:
    """One resource of a saved plan (`terraform show -json`): its actions, whether it is imported, and the
    top-level arguments that force a replacement."""

    actions: tuple[str, ...]
    importing: bool
    replace_paths: tuple[str, ...] = ()


@dataclass
class Running:
    """What AWS (moto) holds: ECS clusters and services, Cloud Map namespaces."""

    clusters: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (ARN, status)
    services: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # name -> (ARN, createdAt, status)
    namespaces: dict[str, str] = field(default_factory=dict)  # name -> id


@dataclass
class UpgradeFlow:
    folder: Path
    plans: dict[str, dict[str, Change]] = field(default_factory=dict)  # stack -> address -> change (step 2)
    replans: dict[str, dict[str, int]] = field(default_factory=dict)  # phase -> stack -> `plan` exit code
    replan_output: dict[str, str] = field(default_factory=dict)  # "phase stack" -> plan output when not clean
    running: dict[str, Running] = field(default_factory=dict)  # phase -> what runs after it
    synthesized: dict[str, dict[str, Any]] = field(default_factory=dict)  # UPGRADED/FINAL -> stack -> cdk.tf.json
    timings: dict[str, float] = field(default_factory=dict)  # step -> seconds
    error: BaseException | None = None
    done: threading.Event = field(default_factory=threading.Event)
    server: Any = None

    def start(self) -> None:
        threading.Thread(target=self._run, daemon=True).start()

    def stop(self) -> None:
        """End of the session: the emulator stopped (a terraform still running then fails fast)."""
        if self.server is not None:
            emulator.stop(self.server)
        self.done.wait(timeout=60)

    def _run(self) -> None:
        try:
            moto, self.server = emulator.start(_fresh(self.folder / "moto"))
            self._upgrade(moto)
        except BaseException as error:  # reported by the test
            self.error = error
        finally:
            if self.server is not None:
                emulator.stop(self.server)
            self.done.set()

    def _upgrade(self, moto: Moto) -> None:
        synth = self._synth(import_existing=True)  # alongside the old layout's apply
        with self._timed("seed + apply the old layout"):
            seed_env_file(load_env_file(ENV_FILE), moto.endpoint, moto.ca_file)
            seed.client("s3", moto.endpoint, moto.ca_file).create_bucket(
                Bucket=load_env_file(ENV_FILE).state.bucket,
                CreateBucketConfiguration={"LocationConstraint": seed.REGION},
            )
            old = _copied_stacks(OLD_STACKS, self.folder / "old", moto)
            _parallel(_init_and_apply, old.values())
        self.running[OLD] = observe(moto)
        with self._timed("synth with import_existing"):
            stacks = self._synthesized(UPGRADED, synth, moto)
        with self._timed("plan + apply the environment stack"):
            self.plans[ENVIRONMENT_STACK] = _plan_and_apply(stacks[ENVIRONMENT_STACK])
        with self._timed("plan + apply the service stacks"):
            services = [name for name in stacks if name != ENVIRONMENT_STACK]
            self.plans |= dict(zip(services, _parallel(_plan_and_apply, [stacks[n] for n in services]), strict=True))
        self.running[UPGRADED] = observe(moto)
        with self._timed("re-plan"):
            self._replan(UPGRADED, stacks)
        with self._timed("import_existing removed: synth + re-plan"):
            # Step 4 as a user does it: the env file edited, synthesized into the same folders, which keep their
            # .terraform (no init), planned again.
            stacks = self._synthesized(FINAL, self._synth(import_existing=False), moto)
            self._replan(FINAL, stacks)
        self.running[FINAL] = observe(moto)

    def _synth(self, import_existing: bool) -> Any:
        """The current CLI's `synth` of ENV_FILE (with `import_existing` when asked) into `<folder>/upgrade/out`."""
        document = json.loads(ENV_FILE.read_text())
        if import_existing:
            document["environment_resources"] = {"import_existing": True}
        env_file = self.folder / "upgrade" / ENV_FILE.name
        env_file.parent.mkdir(parents=True, exist_ok=True)
        env_file.write_text(json.dumps(document, indent=2) + "\n")
        return cli(["-m", "constructs_lib", "synth", str(env_file), "--outdir", str(env_file.parent / "out")])

    def _synthesized(self, phase: str, process: Any, moto: Moto) -> dict[str, Path]:
        """The stacks once `process` (a synth) is done, the override layer beside each; what each `cdk.tf.json`
        holds is recorded for `phase`."""
        finish(process, f"synth ({phase})")
        stacks = {p.name: p for p in sorted((self.folder / "upgrade" / "out" / "stacks").iterdir())}
        for stack_dir in stacks.values():
            write_override(stack_dir, moto.endpoint, moto.ca_file)
        self.synthesized[phase] = {name: json.loads((d / "cdk.tf.json").read_text()) for name, d in stacks.items()}
        return stacks

    def _replan(self, phase: str, stacks: dict[str, Path]) -> None:
        results = _parallel(lambda d: tf.terraform(["plan", "-detailed-exitcode"], d, check=False), stacks.values())
        self.replans[phase] = {name: result.returncode for name, result in zip(stacks, results, strict=True)}
        for name, result in zip(stacks, results, strict=True):
            if result.returncode != 0:
                self.replan_output[f"{phase} {name}"] = (result.stdout + result.stderr)[-6000:]

    def _timed(self, step: str) -> Timer:
        return Timer(self.timings, step)


def _fresh(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def _parallel(run: Callable[[Path], Any], stack_dirs: Any) -> list[Any]:
    stack_dirs = list(stack_dirs)
    with ThreadPoolExecutor(max_workers=max(1, len(stack_dirs))) as pool:
        return list(pool.map(run, stack_dirs))


def _copied_stacks(source: Path, target: Path, moto: Moto) -> dict[str, Path]:
    """The fixture's stacks, each `cdk.tf.json` as the old release wrote it, with the override layer beside it."""
    stacks = {}
    for stack in sorted(source.iterdir()):
        stack_dir = _fresh(target / stack.name)
        shutil.copyfile(stack / "cdk.tf.json", stack_dir / "cdk.tf.json")
        write_override(stack_dir, moto.endpoint, moto.ca_file)
        stacks[stack.name] = stack_dir
    return stacks


def _init_and_apply(stack_dir: Path) -> None:
    tf.terraform(["init"], stack_dir)
    tf.terraform(["apply", "-auto-approve"], stack_dir)


def _plan_and_apply(stack_dir: Path) -> dict[str, Change]:
    """`init`, `plan -out`, the saved plan's resource changes, then `apply` of exactly that plan."""
    tf.terraform(["init"], stack_dir)
    tf.terraform(["plan", f"-out={PLAN_FILE}"], stack_dir)
    changes = {
        resource["address"]: Change(
            tuple(resource["change"]["actions"]),
            "importing" in resource["change"],
            tuple(sorted({str(path[0]) for path in resource["change"].get("replace_paths", [])})),
        )
        for resource in tf.show_json(stack_dir, PLAN_FILE).get("resource_changes", [])
    }
    tf.terraform(["apply", PLAN_FILE], stack_dir)
    return changes


def observe(moto: Moto) -> Running:
    """Every ECS cluster and service and every Cloud Map namespace of the account, as boto3 reads them."""
    ecs = seed.client("ecs", moto.endpoint, moto.ca_file)
    running = Running()
    cluster_arns = ecs.list_clusters()["clusterArns"]
    for cluster in ecs.describe_clusters(clusters=cluster_arns)["clusters"] if cluster_arns else []:
        running.clusters[cluster["clusterName"]] = (cluster["clusterArn"], cluster["status"])
        service_arns = ecs.list_services(cluster=cluster["clusterArn"])["serviceArns"]
        described = ecs.describe_services(cluster=cluster["clusterArn"], services=service_arns) if service_arns else {}
        for service in described.get("services", []):
            running.services[service["serviceName"]] = (
                service["serviceArn"],
                service["createdAt"].isoformat(),
                service["status"],
            )
    cloud_map = seed.client("servicediscovery", moto.endpoint, moto.ca_file)
    running.namespaces = {ns["Name"]: ns["Id"] for ns in cloud_map.list_namespaces()["Namespaces"]}
    return running
