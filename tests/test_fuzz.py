"""Bad input, fuzzed: broken env files are reported with the file and the field, exit 2, never a traceback,
and nothing is written.

The property tests run `constructs_lib.cli.main` in-process, each example through `validate` and then `synth`,
against broken versions of the shipped env files built in `fuzz_strategies.py` (and, for what AWS would refuse
only at apply, non-finite numbers and special files, `fuzz_apply_time.py`), each knowing the problem it must
cause. There is one property test per family of breakage (type swaps, dropped keys, unknown keys, ...), each
with its own example budget, 650 examples in all (at least 500, checked below): a single test over every
family spread its 500 examples very unevenly (one wrong-nesting example in a run) and stopped at the first
product bug, hiding the other families. A few fixed cases go through real `python -m constructs_lib`
subprocesses. The product bugs the fuzzing found are pinned at the end as plain tests, one per bug.

Each example checks: exit code 2 for both commands; no traceback; nothing on stdout; every stderr line but the
summary starts with `FILE: `; the summary counts the problems; the mutated field's path is named (structural
breakage) and nothing unrelated is (the mutation knows every problem it causes); the file-level reason (not
UTF-8 at byte N, not valid JSON at line L column C, empty, a directory, a FIFO, a device, over 1 MiB); validate and synth print the same
problems; and the folder tree (outdir, an existing outdir, the cwd for the default outdir) is byte-identical
afterwards. A mutation that keeps the file valid must pass validate.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import os
import re
import stat
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fuzz_apply_time import APPLY_TIME_FAMILIES
from fuzz_strategies import (
    BASE_DOCS,
    FAMILIES,
    SCHEMA,
    Case,
    Mutation,
    allowed_keys,
    case_from,
    companion_doc,
    get,
    huge_integer_case,
    render,
    show,
    unknown_key,
)
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from constructs_lib.cli import main as cli

ALL_FAMILIES = {**FAMILIES, **APPLY_TIME_FAMILIES}
SUMMARY = re.compile(r"(\d+) problems? found; nothing was written")
FILE_NAMES = ["env.json", "prod env.json", "énv-ü.json", "config", "a.b.c.json"]


@dataclass
class Run:
    code: int | str | None
    out: str
    err: str


def run_cli(argv: list[str]) -> Run:
    """`cli.main(argv)` in this process, its output captured. An exception that escapes is a failure."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(argv)
        except SystemExit as exit_:
            code = exit_.code
        except Exception as error:  # noqa: BLE001 - reported as the failure it is
            pytest.fail(f"cli.main({argv!r}) raised {type(error).__name__}: {error}", pytrace=False)
    return Run(code, out.getvalue(), err.getvalue())


def snapshot(root: Path) -> dict[str, Any]:
    """Every folder (None), file (its bytes), symlink (its target) and other file (its type) under root, hidden
    ones included; a FIFO is never opened."""
    found: dict[str, Any] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            found[os.path.relpath(os.path.join(folder, name), root)] = None
        for name in files:
            path = os.path.join(folder, name)
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                found[os.path.relpath(path, root)] = ("symlink", os.readlink(path))
            elif stat.S_ISREG(mode):
                found[os.path.relpath(path, root)] = Path(path).read_bytes()
            else:
                found[os.path.relpath(path, root)] = ("special", stat.S_IFMT(mode))
    return found


def materialize(case: Case, path: Path) -> None:
    if case.layout == "file":
        assert case.content is not None
        path.write_bytes(case.content)
    elif case.layout == "directory":
        path.mkdir()
    elif case.layout == "directory_with_json":
        path.mkdir()
        (path / "dev.json").write_bytes(render(BASE_DOCS["dev"], 2, True))
    elif case.layout == "fifo":
        os.mkfifo(path)
    elif case.layout == "fifo_link":
        os.mkfifo(path.parent / ".pipe")
        path.symlink_to(path.parent / ".pipe")
    elif case.layout == "device_link":
        path.symlink_to(os.devnull)
    else:
        assert case.layout == "missing"


def _names(line: str, prefix: str) -> bool:
    """The line reports the field at `prefix` or one below it."""
    return line.startswith(prefix) and line[len(prefix) : len(prefix) + 1] in (":", ".", "[")


def _names_odd_key(line: str, file: str, parent: str, key: str) -> bool:
    spellings = {key, json.dumps(key)[1:-1], repr(key)[1:-1]}
    return line.startswith(f"{file}: {parent}") and any(s in line for s in spellings)


def assert_rejected(case: Case, run: Run, file: str, companion: str | None) -> list[str]:
    """Exit 2, no traceback, nothing on stdout, one line per problem each starting with the file, a summary that
    counts them, and the problem the case must cause; returns the problem lines."""
    report = f"{case!r}\nexit {run.code}\nstdout: {run.out!r}\nstderr:\n{run.err}"
    assert run.code == 2, report
    assert "Traceback" not in run.out + run.err, report
    assert run.out == "", report
    lines = run.err.rstrip("\n").split("\n")  # "\n" ends a line (not \x85 or \u2028)
    assert lines and SUMMARY.fullmatch(lines[-1]), report
    problems = [
        line
        for line in lines[:-1]
        if not (companion and line.startswith(f"{companion}: ") and ": warning: " in line)  # the valid file's advice
    ]
    assert problems, report
    bad = [line for line in problems if not line.startswith(f"{file}: ")]
    assert not bad, f"lines that do not start with the file name {file!r}: {bad}\n{report}"
    assert int(SUMMARY.fullmatch(lines[-1])[1]) == len(problems), report

    for path in case.expected:
        assert any(line.startswith(f"{file}: {path}: ") for line in problems), f"no problem names {path}\n{report}"
    for parent, key in case.odd_keys:
        assert any(_names_odd_key(line, file, parent, key) for line in problems), (
            f"no problem names key {key!r} of {parent or 'the top level'}\n{report}"
        )
    if case.exact:
        allowed = [f"{file}: {p}" for p in case.expected + case.also]
        stray = [
            line
            for line in problems
            if not any(_names(line, prefix) for prefix in allowed)
            and not any(_names_odd_key(line, file, parent, key) for parent, key in case.odd_keys)
        ]
        assert not stray, f"problems the mutation cannot cause: {stray}\n{report}"
    if case.word is not None:
        assert any(case.word in line for line in problems), f"no problem says {case.word!r}\n{report}"
    if case.json_position is not None:
        line_no, column = case.json_position
        where = re.compile(rf"{re.escape(file)}: not valid JSON: .+ at line {line_no} column {column}")
        assert any(where.fullmatch(line) for line in problems), (
            f"expected 'not valid JSON: ... at line {line_no} column {column}'\n{report}"
        )
    if case.utf8_offset is not None:
        offset = re.compile(rf"\b{case.utf8_offset}\b")
        assert any("UTF-8" in line and offset.search(line) for line in problems), (
            f"expected UTF-8 at byte {case.utf8_offset}\n{report}"
        )
    return problems


# --------------------------------------------------------------------------------------------- the property


def check(case: Case, file_name: str = "env.json", companion: str | None = None, outdir: str = "absent") -> None:
    """Run `validate`, then `synth`, in-process on the case in a fresh folder; assert the report and that
    nothing was written (no outdir, no staging folder, an existing outdir untouched, nothing in the cwd)."""
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        root = Path(tmp)
        work = root / "work"
        work.mkdir()
        materialize(case, work / file_name)
        files = [file_name]
        companion_file = None
        if companion is not None:  # a valid file in the same run: still nothing written
            companion_file = "companion.json"
            (work / companion_file).write_bytes(render(companion_doc(), 2, True))
            files = [companion_file, file_name] if companion == "before" else [file_name, companion_file]
        out = root / "out" / "stacks"
        if outdir == "existing":  # an earlier synth's result, and the user's Terraform files in it, stay untouched
            (out / "stacks" / "dev-app-service").mkdir(parents=True)
            (out / "manifest.json").write_text(json.dumps({  # cdktf's shape: what synth reads to know its files
                "version": "0.21.0", "outdir": str(out),
                "stacks": {"dev-app-service": {"name": "dev-app-service",
                                               "synthesizedStackPath": "stacks/dev-app-service/cdk.tf.json"}},
            }))
            (out / "stacks" / "dev-app-service" / "cdk.tf.json").write_text("{}")
            (out / "stacks" / "dev-app-service" / ".terraform.lock.hcl").write_text("# the user's")
        before = snapshot(root)
        previous = os.getcwd()
        os.chdir(work)  # so that the default outdir (cdktf.out) would land inside the snapshot
        try:
            validate = run_cli(["validate", *files])
            assert snapshot(root) == before, f"validate wrote files\n{case!r}"
            if case.valid:
                event("still valid (checked to pass)")
                assert validate.code == 0, f"{case!r}: the mutation keeps the file valid, yet:\n{validate.err}"
                return
            assert_rejected(case, validate, file_name, companion_file)
            synth = run_cli(["synth", *files] + ([] if outdir == "default" else ["--outdir", str(out)]))
            assert_rejected(case, synth, file_name, companion_file)
            assert synth.err == validate.err, f"synth and validate disagree\n{case!r}\n{validate.err}\n{synth.err}"
            assert snapshot(root) == before, f"synth wrote files\n{case!r}"
        finally:
            os.chdir(previous)


def _property(family: str) -> Any:
    budget, cases = ALL_FAMILIES[family]

    def fuzz(case: Case, file_name: str, companion: str | None, outdir: str) -> None:
        event(f"kind: {case.kind}")
        check(case, file_name, companion, outdir)

    fuzz.__name__ = fuzz.__qualname__ = f"fuzz_{family}"  # its own entry in Hypothesis's example database
    return settings(
        max_examples=budget,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    )(
        given(
            case=cases,
            file_name=st.sampled_from(FILE_NAMES),
            companion=st.sampled_from([None, "before", "after"]),
            outdir=st.sampled_from(["absent", "existing", "default"]),
        )(fuzz)
    )


PROPERTIES = {family: _property(family) for family in ALL_FAMILIES}


def test_the_default_run_has_at_least_500_examples() -> None:
    assert sum(budget for budget, _ in ALL_FAMILIES.values()) >= 500


@pytest.mark.parametrize("family", list(ALL_FAMILIES))
def test_broken_env_file_is_reported_with_file_and_field(family: str) -> None:
    PROPERTIES[family]()


# --------------------------------------------------------------------------------------------- subprocesses


def _doc(change: Any) -> bytes:
    doc = copy.deepcopy(BASE_DOCS["dev"])
    change(doc)
    return render(doc, 2, True)


SUBPROCESS_CASES = {
    "cpu as a string": (_doc(lambda d: d["services"][0].update(cpu="512")), "services[0].cpu: "),
    "route53 dropped": (_doc(lambda d: d["services"][1].pop("route53")), "services[1].route53: "),
    "unknown key": (_doc(lambda d: d["network"].update(vpc="vpc-0a1b2c3d4e5f60718")), "network.vpc: "),
    "non-UTF-8": (b'{"organization": "acme\xff"}', "not valid UTF-8"),
    "truncated JSON": (render(BASE_DOCS["dev"], 2, True)[:300], "not valid JSON: "),
    "empty file": (b"", "empty"),
    "directory": (None, "directory"),
}


@pytest.mark.parametrize("name", list(SUBPROCESS_CASES))
def test_cli_subprocess_rejects_bad_input(name: str, tmp_path: Path) -> None:
    content, expected = SUBPROCESS_CASES[name]
    env_file = tmp_path / "env.json"
    if content is None:
        env_file.mkdir()
    else:
        env_file.write_bytes(content)
    outdir = tmp_path / "out" / "cdktf.out"
    before = snapshot(tmp_path)
    environment = {k: v for k, v in os.environ.items() if k != "CDKTF_OUTDIR"}
    for args in (["validate", str(env_file)], ["synth", str(env_file), "--outdir", str(outdir)]):
        done = subprocess.run(
            [sys.executable, "-m", "constructs_lib", *args],
            cwd=tmp_path,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )
        report = f"{args}: exit {done.returncode}\nstdout: {done.stdout}\nstderr: {done.stderr}"
        assert done.returncode == 2, report
        assert "Traceback" not in done.stderr + done.stdout, report
        assert done.stdout == "", report
        lines = done.stderr.splitlines()
        assert lines[0].startswith(f"{env_file}: ") and expected in lines[0], report
        assert SUMMARY.fullmatch(lines[-1]), report
        assert not outdir.exists() and not outdir.parent.exists(), report
        assert snapshot(tmp_path) == before, report


# --------------------------------------------------------------------------------------------- the table


def test_fuzz_schema_names_real_keys() -> None:
    """Every key of the fuzzing's spec table is a key the env file accepts (a typo in the table would quietly
    stop the fuzzing of that key)."""
    unknown = []
    for pattern in SCHEMA:
        parts = re.findall(r"[^.\[\]]+|\[\]", pattern)
        path: list[Any] = []
        for part in parts:
            path.append(0 if part == "[]" else ("X" if part == "*" else part))
        last = path[-1]
        if isinstance(last, int) or last == "X":
            continue
        if last not in allowed_keys(tuple(path[:-1])):
            unknown.append(pattern)
    assert unknown == []


# --------------------------------------------------------------------------------------------- found bugs


def _renamed(path: tuple[Any, ...], value: str, *renames: tuple[Any, ...]) -> Mutation:
    return Mutation("aws_name", path, "set", value, expected=(show(path),), also=tuple(show(r) for r in renames), renames=renames)


def _nested(path: tuple[Any, ...], depth: int) -> Case:
    doc = copy.deepcopy(BASE_DOCS["dev"])
    get(doc, path[:-1])[path[-1]] = "@@DEEP@@"
    content = render(doc, None, True).replace(b'"@@DEEP@@"', b"[" * depth + b"1" + b"]" * depth)
    return Case("too_deep", content, detail=f"{show(path)} nested {depth} levels", base="dev")


SERVICE = ("services", 0)
EFS = (*SERVICE, "efs_config")
# One test per bug the fuzzing found, each a minimal input; they fail until the product is fixed. The names:
# AWS allows [A-Za-z0-9_-] in ECS cluster and volume names, [a-z0-9._/-] in ECR repositories, [A-Za-z0-9_.-/]
# in SSM parameter names (env-file buckets, EFS ids, PARAM secrets), no space in an image or an ACM certificate
# id: each value below is accepted by validate and would fail only at `terraform apply`.
FOUND_BUGS = {
    "integer literal over 4300 digits: exit 1, no file name": huge_integer_case(
        "dev", (*SERVICE, "application_port"), 4301
    ),
    "line break in an unknown key splits the problem line": case_from("dev", [unknown_key((), "a\nb", 1)]),
    "schema_ (attribute name of $schema) accepted as a key": case_from("dev", [unknown_key((), "schema_", "x")]),
    "cluster_name with a space": case_from("dev", [_renamed((*SERVICE, "cluster_name"), "app cluster")]),
    "cluster_name with a slash": case_from("dev", [_renamed((*SERVICE, "cluster_name"), "app/cluster")]),
    "ecr_repo_base_name with a space": case_from("dev", [_renamed((*SERVICE, "ecr_repo_base_name"), "app backend")]),
    "container_repo with a space": case_from("dev", [_renamed(("services", 1, "container_repo"), "nginx 1.27")]),
    "ssl_certificate_id with a space": case_from("dev", [_renamed((*SERVICE, "ssl_certificate_id"), "0f1e2d3c 4b5a")]),
    "environment_files bucket_base_name with a space": case_from(
        "dev", [_renamed((*SERVICE, "environment_files", 0, "bucket_base_name"), "app config")]
    ),
    "efs_parameter_key_suffix with a space": case_from(
        "dev", [_renamed((*EFS, "volumes", 0, "efs_parameter_key_suffix"), "shared data")]
    ),
    "ap_parameter_key_suffix with a space": case_from(
        "dev", [_renamed((*EFS, "volumes", 0, "ap_parameter_key_suffix"), "app data")]
    ),
    "volume_name with a space": case_from(
        "dev", [_renamed((*EFS, "volumes", 0, "volume_name"), "shared data", (*EFS, "mount_points", 0, "volume_name"))]
    ),
    "PARAM secret name with a space": case_from(
        "dev", [_renamed((*SERVICE, "parameters", "secrets", "API_KEY", "name"), "external api key")]
    ),
    "a value nested 600 levels deep: RecursionError in the cross-field rules' input, exit 1": _nested(("$schema",), 600),
}


@pytest.mark.parametrize("bug", list(FOUND_BUGS))
def test_found_bug_is_fixed(bug: str) -> None:
    check(FOUND_BUGS[bug])
