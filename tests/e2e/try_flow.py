"""`make try` run end to end as a user runs it, in the background of the e2e session, for test_try.py.

The flow is mostly waiting (the provider's fixed ALB, Route53 and S3 lifecycle waits), so it runs alongside
the e2e's own deployment instead of after it: conftest.py starts it when test_try.py is collected, and the
test, last in file order, joins it and checks what was recorded. Each step records what the user sees (exit
code, output) and what is true (the Terraform state, the emulator's process), while the emulator still runs.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path

import tf

from . import emulator
from .harness import JSII_QUIET, REPO

ENV_FILE = "envs/dev.json"
TIMEOUT_SECONDS = 900


@dataclass
class Step:
    returncode: int
    output: str
    pid: int | None = None  # the emulator's pid recorded in the state folder
    running: bool = False  # whether that emulator runs after the step
    state: dict[str, dict[str, str]] = field(default_factory=dict)  # stack -> what its Terraform state holds


@dataclass
class TryFlow:
    folder: Path
    steps: dict[str, Step] = field(default_factory=dict)  # "up", "up again", "down"
    error: BaseException | None = None
    done: threading.Event = field(default_factory=threading.Event)
    current: subprocess.Popen[str] | None = None  # the step running now (its own process group)

    def start(self) -> None:
        threading.Thread(target=self._run, daemon=True).start()

    def stop(self) -> None:
        """End of the session: a step still running (the test was not reached) is ended with its terraform
        processes, and the emulator stopped."""
        if not self.done.is_set() and self.current is not None and self.current.poll() is None:
            os.killpg(self.current.pid, signal.SIGKILL)
        self.done.wait(timeout=30)
        self._stop_leftover()

    def _run(self) -> None:
        try:
            for name, args in (("up", ["up", ENV_FILE]), ("up again", ["up", ENV_FILE]), ("down", ["down"])):
                self.steps[name] = self._step(args)
                if self.steps[name].returncode != 0:
                    break
        except BaseException as error:  # reported by the test
            self.error = error
        finally:
            self._stop_leftover()
            self.done.set()

    def _step(self, args: list[str]) -> Step:
        pid_before = self._pid()
        self.current = subprocess.Popen(
            [sys.executable, "scripts/try.py", "--dir", str(self.folder), *args], cwd=REPO,
            env={**os.environ, **JSII_QUIET}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True,
        )
        output, _ = self.current.communicate(timeout=TIMEOUT_SECONDS)
        step = Step(self.current.returncode, output)
        step.pid = self._pid() or pid_before  # after `down` the folder is gone: the emulator it stopped
        step.running = step.pid is not None and emulator.running(step.pid)
        if step.running and step.returncode == 0:  # a failed step: its output is the report, its state partial
            stacks = sorted(p for p in (self.folder / "out" / "stacks").iterdir() if not p.name.endswith("-environment"))
            step.state = {stack.name: state_values(stack) for stack in stacks}
        return step

    def _pid(self) -> int | None:
        state = self.folder / "emulator.json"
        return json.loads(state.read_text())["pid"] if state.exists() else None

    def _stop_leftover(self) -> None:
        """A failed step may leave the emulator running: never beyond the session."""
        pid = self._pid()
        if pid is not None:
            emulator.stop_pid(pid)


def state_values(stack_dir: Path) -> dict[str, str]:
    """What `make try` prints for a stack, read from its Terraform state instead of its outputs."""
    resources = {resource["address"]: resource["values"]
                 for resource in tf.show_json(stack_dir)["values"]["root_module"]["resources"]}
    record = resources["aws_route53_record.dns"]
    return {
        # The cluster is the environment stack's: the service names it by ARN.
        "cluster": resources["aws_ecs_service.service"]["cluster"].rsplit("/", 1)[1],
        "cluster ARN": resources["aws_ecs_service.service"]["cluster"],
        "service": resources["aws_ecs_service.service"]["name"],
        "load balancer DNS name": resources["aws_lb.alb"]["dns_name"],
        "URL": f"https://{record['fqdn']}",
    }


def printed(output: str) -> dict[str, dict[str, str]]:
    """The table `make try` printed: stack -> label -> value."""
    table: dict[str, dict[str, str]] = {}
    labels = ("cluster ARN", "cluster", "service", "load balancer DNS name", "URL")
    for line in output.splitlines():
        if line and not line.startswith(" ") and line.replace("-", "").isalnum():
            table[line] = {}
        elif line.startswith("  ") and table:
            label = next((label for label in labels if line.strip().startswith(label + " ")), None)
            if label:
                table[list(table)[-1]][label] = line.strip()[len(label):].strip()
    return table


def as_json(flow: TryFlow) -> str:
    """The recorded steps, for an assertion message."""
    steps = {name: {**asdict(step), "output": step.output[-3000:]} for name, step in flow.steps.items()}
    return json.dumps(steps, indent=1, default=str)
