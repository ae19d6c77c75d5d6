"""The CLI as a user runs it: `python -m constructs_lib ...` in a subprocess, its exit code, its output, and the
files it did or did not write. `main.py` is run the way `cdktf synth` runs it.

A synthesis costs several seconds, so the three that succeed (CLI, CLI again into the same folder, main.py) run
once per module and the tests share their results. Runs that fail validation never start jsii and are cheap.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import read_env

from constructs_lib._jsii.fast_kernel import JSII_QUIET

REPO = Path(__file__).resolve().parent.parent
ENV_FILES = sorted(f"envs/{p.name}" for p in (REPO / "envs").glob("*.json"))
WORKLOAD_LISTS = ("services", "workers", "scheduled_tasks")  # a stack each
STACK_COUNT = sum(len(json.loads((REPO / path).read_text()).get(key, [])) for path in ENV_FILES for key in WORKLOAD_LISTS)
JSII_VARIABLES = tuple(JSII_QUIET)


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


def run(*args: str, cwd: Path = REPO, env: dict[str, str] | None = None, module: bool = True) -> Run:
    """Run the CLI (or a script when module is False) as a user would, with a clean environment: the jsii
    silencing variables removed, so the test shows the CLI sets them itself."""
    environment = {k: v for k, v in os.environ.items() if k not in JSII_VARIABLES and k != "CDKTF_OUTDIR"}
    environment.update(env or {})
    command = [sys.executable, "-m", "constructs_lib", *args] if module else [sys.executable, *args]
    done = subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True, timeout=600)
    return Run(done.returncode, done.stdout, done.stderr)


def tree(root: Path) -> dict[str, bytes]:
    """Every file under root, by relative path, with its bytes."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def stack_names(lists: tuple[str, ...] = WORKLOAD_LISTS) -> list[str]:
    names = []
    for path in ENV_FILES:
        data = json.loads((REPO / path).read_text())
        names += [f"{data['environment']}-{item['service_name']}" for key in lists for item in data.get(key, [])]
    return names


def environment_stack_names() -> list[str]:
    return [f"{json.loads((REPO / path).read_text())['environment']}-environment" for path in ENV_FILES]


def synthesized_stack_names() -> list[str]:
    return stack_names() + environment_stack_names()


def words(text: str) -> str:
    """Help text with argparse's terminal-width line wrapping undone."""
    return " ".join(text.split())


def assert_no_traceback(result: Run) -> None:
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout


# --------------------------------------------------------------------------------------------- help


def test_help() -> None:
    result = run("--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: python -m constructs_lib")
    for text in ("validate", "synth", "--debug", "Exit codes: 0 success, 1 unexpected failure", "2 invalid input (nothing written)"):
        assert text in words(result.stdout)


def test_validate_help() -> None:
    result = run("validate", "--help")
    assert result.returncode == 0, result.stderr
    assert words(result.stdout).startswith("usage: python -m constructs_lib validate [-h] ENV_FILE [ENV_FILE ...]")


def test_synth_help() -> None:
    result = run("synth", "--help")
    assert result.returncode == 0, result.stderr
    text = words(result.stdout)
    assert text.startswith("usage: python -m constructs_lib synth [-h] [--outdir OUTDIR] ENV_FILE [ENV_FILE ...]")
    assert ("--outdir OUTDIR output folder; on success only the files synth writes are replaced, the rest is kept "
            "(default: cdktf.out)") in text


def test_no_command_is_a_usage_error() -> None:
    result = run()
    assert result.returncode == 2
    assert result.stderr.startswith("usage: python -m constructs_lib")
    assert_no_traceback(result)


# --------------------------------------------------------------------------------------------- validate


def test_validate_good_files() -> None:
    result = run("validate", *ENV_FILES)
    assert (result.returncode, result.stderr) == (0, "")  # the shipped envs meet every policy rule
    nouns = {"services": "service", "workers": "worker", "scheduled_tasks": "scheduled task"}
    counts = {path: [(len(json.loads((REPO / path).read_text()).get(key, [])), noun) for key, noun in nouns.items()]
              for path in ENV_FILES}
    described = {path: ", ".join(f"{n} {noun}{'' if n == 1 else 's'}" for n, noun in items if n or noun == "service")
                 for path, items in counts.items()}
    assert result.stdout == "".join(f"{path}: valid ({described[path]})\n" for path in ENV_FILES)


def test_validate_counts_one_service(tmp_path: Path) -> None:
    data = read_env("dev")
    data["services"] = data["services"][:1]
    (tmp_path / "one.json").write_text(json.dumps(data))
    result = run("validate", "one.json", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "one.json: valid (1 service)\n")


def test_validate_does_not_start_jsii() -> None:
    """Validation stays fast: no cdktf, no jsii, no Node process."""
    code = (
        "import sys\n"
        "from constructs_lib.cli.main import main\n"
        f"assert main(['validate', *{ENV_FILES!r}]) == 0\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('cdktf', 'jsii', 'constructs', 'cdktf_cdktf_provider_aws'))\n"
        "print(loaded)\n"
    )
    result = run("-c", code, module=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"


@pytest.fixture
def bad_envs(tmp_path: Path) -> Path:
    """A folder with envs/bad.json (three problems), envs/broken.json (not JSON) and envs/good.json."""
    envs = tmp_path / "envs"
    envs.mkdir()
    bad = read_env("dev")
    bad["services"][0]["cpu"] = 300
    bad["services"][0]["container_repo"] = "nginx:latest"
    bad["services"][1]["alb_name"] = "app-alb"
    (envs / "bad.json").write_text(json.dumps(bad, indent=2))
    (envs / "broken.json").write_text('{\n  "organization": "acme"\n  "environment": "dev"\n}\n')
    (envs / "good.json").write_text(json.dumps(read_env("prod"), indent=2))
    return tmp_path


BAD_PROBLEMS = [
    "envs/bad.json: services[0].ecr_repo_base_name: both are set; set exactly one of ecr_repo_base_name and container_repo",
    "envs/bad.json: services[0].cpu: 300 is not a Fargate CPU value; allowed: 256, 512, 1024, 2048, 4096, 8192, 16384",
    "envs/bad.json: services[1].alb_name: 'app-alb' is already used by services[0]; each service needs its own",
    "envs/broken.json: not valid JSON: Expecting ',' delimiter at line 3 column 3",
]


def test_validate_bad_files_reports_every_problem(bad_envs: Path) -> None:
    result = run("validate", "envs/bad.json", "envs/good.json", "envs/broken.json", cwd=bad_envs)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [*BAD_PROBLEMS, "4 problems found; nothing was written"]
    assert_no_traceback(result)


def test_validate_missing_file(tmp_path: Path) -> None:
    result = run("validate", "envs/nope.json", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["envs/nope.json: no such file", "1 problem found; nothing was written"]
    assert_no_traceback(result)


def test_a_service_named_environment_is_rejected_and_nothing_is_written(tmp_path: Path) -> None:
    data = read_env("dev")
    data["services"][1]["service_name"] = "environment"
    (tmp_path / "dev.json").write_text(json.dumps(data))
    result = run("synth", "dev.json", "--outdir", "out", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "dev.json: services[1].service_name: 'environment' names the environment stack (dev-environment); choose "
        "another service_name",
        "1 problem found; nothing was written",
    ]
    assert_no_traceback(result)
    assert not (tmp_path / "out").exists()


def test_list_prints_the_stacks_in_apply_order() -> None:
    result = run("list", "envs/dev.json")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "bootstrap-dev\tlocal (bootstrap --backend s3 moves it into s3://acme-dev-terraform-state)",
        "dev-environment\ts3://acme-dev-terraform-state/ecs/dev/environment/terraform.tfstate",
        "dev-app-service\ts3://acme-dev-terraform-state/ecs/dev/app-service/terraform.tfstate",
        "dev-docs\ts3://acme-dev-terraform-state/ecs/dev/docs/terraform.tfstate",
    ]


# --------------------------------------------------------------------------------------------- synth: bad input


def test_synth_with_a_bad_file_writes_nothing(bad_envs: Path) -> None:
    before = sorted(p.name for p in bad_envs.iterdir())
    result = run("synth", "envs/good.json", "envs/bad.json", "envs/broken.json", "--outdir", "out", cwd=bad_envs)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [*BAD_PROBLEMS, "4 problems found; nothing was written"]
    assert "synthesized" not in result.stdout
    assert_no_traceback(result)
    assert not (bad_envs / "out").exists()
    assert sorted(p.name for p in bad_envs.iterdir()) == before  # no staging folder left behind


def test_synth_with_a_bad_file_leaves_an_existing_outdir_untouched(bad_envs: Path) -> None:
    out = bad_envs / "out"
    (out / "stacks" / "dev-app-service").mkdir(parents=True)
    (out / "stacks" / "dev-app-service" / "cdk.tf.json").write_text('{"previous": "synth"}\n')
    _name_in_manifest(out, "dev-app-service", "cdk.tf.json")
    before, siblings = tree(out), sorted(p.name for p in bad_envs.iterdir())
    result = run("synth", "envs/good.json", "envs/bad.json", "--outdir", "out", cwd=bad_envs)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [*BAD_PROBLEMS[:3], "3 problems found; nothing was written"]
    assert tree(out) == before
    assert sorted(p.name for p in bad_envs.iterdir()) == siblings


# --------------------------------------------------------------------------------------------- synth: good input


@dataclass
class Synth:
    first: Run
    first_tree: dict[str, bytes]
    second: Run
    second_tree: dict[str, bytes]
    outdir: Path


# What `terraform init/plan` (README step 5) and a killed run leave in an outdir before the second synth:
# the user's files must survive byte for byte; ours (a stale stack, cdk.tf of an --hcl synth) must go.
USER_FILES = {
    "stacks/{first}/.terraform/terraform.tfstate": "backend",
    "stacks/{first}/.terraform.lock.hcl": "lock",
    "stacks/{first}/plan.tfplan": "plan",
    "stacks/{first}/terraform.tfstate.backup": "backup",
    "stacks/dev-removed/cdk.tf.json": "{}",  # a service removed after its stack was applied from here
    "stacks/dev-removed/terraform.tfstate": "state",
}
OUR_LEFTOVERS = {
    "stacks/stale-stack/cdk.tf.json": "{}",
    "stacks/{first}/cdk.tf": "# from cdktf synth --hcl",
    ".ecs-cdktf-staging-killed/stacks/x/cdk.tf.json": "{}",  # a SIGKILLed run's staging folder
}


def _name_in_manifest(outdir: Path, stack: str, stack_file: str) -> None:
    """Make manifest.json name `stack` as a run writing `stack_file` (`cdktf synth --hcl`: cdk.tf) would."""
    manifest = json.loads((outdir / "manifest.json").read_text()) if (outdir / "manifest.json").exists() else {
        "version": "0.21.0", "stacks": {}}
    manifest["stacks"][stack] = {"name": stack, "synthesizedStackPath": f"stacks/{stack}/{stack_file}",
                                 "stackMetadataPath": f"stacks/{stack}/metadata.json"}
    (outdir / "manifest.json").write_text(json.dumps(manifest))


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> Synth:
    """`synth envs/*.json` twice into the same outdir; before the second run, the user's files and some of our
    own leftovers are planted there."""
    parent = tmp_path_factory.mktemp("cli-synth")
    outdir = parent / "out"
    first = run("synth", *ENV_FILES, "--outdir", str(outdir))
    first_tree = tree(outdir) if outdir.exists() else {}
    if outdir.exists():
        for relative, content in {**USER_FILES, **OUR_LEFTOVERS}.items():
            path = outdir / relative.format(first=stack_names()[0])
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content)
        _name_in_manifest(outdir, "stale-stack", "cdk.tf.json")  # ours only when the manifest names them
        _name_in_manifest(outdir, stack_names()[0], "cdk.tf")
    second = run("synth", *ENV_FILES, "--outdir", str(outdir))
    return Synth(first, first_tree, second, tree(outdir) if outdir.exists() else {}, outdir)


@pytest.fixture(scope="module")
def main_py_tree(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """`main.py` run as `cdktf synth` runs the app named in cdktf.json, with CDKTF_OUTDIR, into an outdir
    where `cdktf synth --hcl` and `terraform init` ran before: a cdk.tf and a lock file in a stack folder."""
    outdir = tmp_path_factory.mktemp("main-py") / "cdktf.out"
    (outdir / "stacks" / stack_names()[0]).mkdir(parents=True)
    (outdir / "stacks" / stack_names()[0] / "cdk.tf").write_text("# from cdktf synth --hcl")
    (outdir / "stacks" / stack_names()[0] / ".terraform.lock.hcl").write_text("# lock")
    _name_in_manifest(outdir, stack_names()[0], "cdk.tf")
    result = run("main.py", module=False, env={"CDKTF_OUTDIR": str(outdir)})
    assert result.returncode == 0, result.stderr
    return tree(outdir)


def test_cdktf_json_runs_main_py() -> None:
    config = json.loads((REPO / "cdktf.json").read_text())
    assert config["language"] == "python"
    assert config["app"].split()[-1] == "main.py"


def test_synth_succeeds_quietly(synthesized: Synth) -> None:
    assert synthesized.first.returncode == 0, synthesized.first.stderr
    assert synthesized.first.stderr == ""  # no jsii/Node banner, no warnings
    assert_no_traceback(synthesized.first)


def test_synth_writes_one_stack_per_service_and_one_environment_stack_per_env_file(synthesized: Synth) -> None:
    stacks = sorted(path for path in synthesized.first_tree if path.startswith("stacks/"))
    assert stacks == sorted(f"stacks/{name}/cdk.tf.json" for name in synthesized_stack_names())
    assert len(stacks) == STACK_COUNT + len(ENV_FILES)
    assert set(synthesized.first_tree) - set(stacks) == {"manifest.json"}


def test_each_stack_is_its_service(synthesized: Synth) -> None:
    for name in stack_names(("services", "workers")):
        document = json.loads(synthesized.first_tree[f"stacks/{name}/cdk.tf.json"])
        environment, service = name.split("-", 1)
        backend = document["terraform"]["backend"]["s3"]
        assert backend["key"] == f"ecs/{environment}/{service}/terraform.tfstate"
        assert backend["bucket"] == read_env(environment)["state"]["bucket"]
        clusters = list(document["resource"]["aws_ecs_service"].values())
        assert [c["name"] for c in clusters] == [f"acme-{environment}-{service}"]


def test_each_environment_stack_has_its_state_key(synthesized: Synth) -> None:
    for name in environment_stack_names():
        document = json.loads(synthesized.first_tree[f"stacks/{name}/cdk.tf.json"])
        environment = name.removesuffix("-environment")
        assert document["terraform"]["backend"]["s3"]["key"] == f"ecs/{environment}/environment/terraform.tfstate"
        assert "aws_ecs_service" not in document["resource"]


def test_synth_prints_a_summary_table(synthesized: Synth) -> None:
    rows = []
    for name in sorted(synthesized_stack_names()):  # synth reports in name order; `list` in apply order
        document = json.loads(synthesized.first_tree[f"stacks/{name}/cdk.tf.json"])
        resources = sum(len(items) for items in document["resource"].values())
        rows.append((name, resources, document["terraform"]["backend"]["s3"]["key"]))
    width = max(len(name) for name, _, _ in rows)
    expected = [f"synthesized {name}" for name, _, _ in rows]
    expected += ["", f"{'STACK'.ljust(width)}  RESOURCES  STATE KEY"]
    expected += [f"{name.ljust(width)}  {resources:>9}  {key}" for name, resources, key in rows]
    expected += ["", f"{STACK_COUNT + len(ENV_FILES)} stacks in {synthesized.outdir / 'stacks'}"]
    assert synthesized.first.stdout.splitlines() == expected


def test_synth_twice_is_byte_identical_and_replaces_only_its_own_files(synthesized: Synth) -> None:
    assert synthesized.second.returncode == 0, synthesized.second.stderr
    assert synthesized.second.stdout == synthesized.first.stdout
    user_files = {relative.format(first=stack_names()[0]): content.encode() for relative, content in USER_FILES.items()}
    assert synthesized.second_tree == {**synthesized.first_tree, **user_files}


def test_synth_says_which_stale_stack_folder_it_kept(synthesized: Synth) -> None:
    assert synthesized.second.stderr.splitlines() == [
        f"{synthesized.outdir / 'stacks' / 'dev-removed'}: no longer synthesized; kept whole, as it holds files synth "
        "did not write (terraform destroy there first if it was applied, then remove it yourself)"
    ]


def test_synth_leaves_no_staging_folder(synthesized: Synth) -> None:
    assert sorted(p.name for p in synthesized.outdir.parent.iterdir()) == ["out"]
    assert sorted(p.name for p in synthesized.outdir.iterdir()) == ["manifest.json", "stacks"]


def test_main_py_keeps_the_users_files_and_replaces_its_own(main_py_tree: dict[str, bytes]) -> None:
    first = f"stacks/{stack_names()[0]}"
    assert main_py_tree[f"{first}/.terraform.lock.hcl"] == b"# lock"
    assert f"{first}/cdk.tf" not in main_py_tree  # Terraform would load it beside cdk.tf.json


def test_main_py_synthesizes_the_same_stacks(synthesized: Synth, main_py_tree: dict[str, bytes]) -> None:
    stacks = {path: content for path, content in main_py_tree.items() if path.startswith("stacks/") and "/." not in path}
    assert sorted(stacks) == sorted(f"stacks/{name}/cdk.tf.json" for name in synthesized_stack_names())
    for path, content in stacks.items():
        assert content == synthesized.first_tree[path], path


def test_main_py_writes_the_same_manifest(synthesized: Synth, main_py_tree: dict[str, bytes]) -> None:
    assert main_py_tree["manifest.json"] == synthesized.first_tree["manifest.json"]


def test_main_py_rejects_bad_env_files_without_a_traceback(tmp_path: Path) -> None:
    """main.py reads the envs/ beside it: run a copy of it in a folder whose envs/ holds a bad file."""
    shutil.copy(REPO / "main.py", tmp_path / "main.py")
    (tmp_path / "envs").mkdir()
    data = read_env("dev")
    data["region"] = 1
    (tmp_path / "envs" / "dev.json").write_text(json.dumps(data))
    result = run("main.py", cwd=tmp_path, module=False, env={"CDKTF_OUTDIR": str(tmp_path / "out")})
    assert result.returncode == 2
    assert result.stderr.splitlines()[0].endswith("envs/dev.json: region: 1 is a number; allowed: a region name like eu-west-1 or us-east-1")
    assert_no_traceback(result)
    assert not (tmp_path / "out").exists()


def test_main_py_refuses_an_outdir_holding_other_files(tmp_path: Path) -> None:
    outdir = tmp_path / "out"
    outdir.mkdir()
    (outdir / "notes.md").write_text("mine")
    result = run("main.py", module=False, env={"CDKTF_OUTDIR": str(outdir)})
    assert result.returncode == 2
    assert result.stderr == (f"{outdir}: holds files synth did not write (notes.md); "
                             "choose a new or empty folder, or one synth wrote; nothing was written\n")
    assert tree(outdir) == {"notes.md": b"mine"}
