"""`WorkerStack` and `ScheduledTaskStack`: one stack per worker and per scheduled task of an env file, named
`<environment>-<service_name>` with the state key of a service (`.../<environment>/<service_name>/terraform.tfstate`).
They run in the environment stack's cluster, found by its name, so a plan never reads another stack's state."""

from __future__ import annotations

from constructs import Construct

from .._jsii.engine import TerraformOutput
from ..config import EnvConfig
from ..config.service_names import state_key
from ..config.workloads import ScheduledTaskConfig, WorkerConfig
from ..patterns.env_workloads import scheduled_task_from_config, worker_from_config
from ..patterns.fargate_workload import FargateWorkload
from .stack import AwsStack


class _HeadlessStack(AwsStack):
    """A workload's stack: the env's provider, its own state key, the workload's tags."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        env: EnvConfig,
        workload: WorkerConfig | ScheduledTaskConfig,
        root_id: str,
    ):
        tags = {
            "organization": env.organization,
            "environment": env.environment,
            "service": workload.service_name,
        }
        super().__init__(scope, id, env=env, tags=tags, root_id=root_id)
        self.state_in_bucket(env, state_key(env, workload))

    def _outputs(self, workload: FargateWorkload, extra: dict[str, str]) -> None:
        outputs = {
            "task_definition_arn": workload.ref(workload.task_definition.task_definition).arn,
            "task_role_arn": workload.task_role.arn,
            "execution_role_arn": workload.execution_role.arn,
            **extra,
        }
        for name, value in sorted(outputs.items()):
            TerraformOutput(self, name, value=value)
        TerraformOutput(self, "security_group_ids", value=workload.security_groups.tasks_ids)


class WorkerStack(_HeadlessStack):
    def __init__(self, scope: Construct, id: str, *, env: EnvConfig, worker: WorkerConfig):
        super().__init__(scope, id, env=env, workload=worker, root_id="service")
        self.worker = worker_from_config(self, "service", env, worker)  # escapes its own input
        self._outputs(
            self.worker,
            {"service_arn": self.worker.ref(self.worker.service.service).id},
        )


class ScheduledTaskStack(_HeadlessStack):
    def __init__(self, scope: Construct, id: str, *, env: EnvConfig, task: ScheduledTaskConfig):
        super().__init__(scope, id, env=env, workload=task, root_id="task")
        self.task = scheduled_task_from_config(self, "task", env, task)  # escapes its own input
        self._outputs(self.task, {"schedule_arn": self.task.ref(self.task.schedule).arn})
