"""`ScheduledTask`: a Fargate task EventBridge Scheduler runs on a schedule (cron, rate or one `at`).

    ScheduledTask(stack, "nightly-report", props=ScheduledTaskProps(..., cluster=ClusterReference.from_name(...),
        schedule="cron(0 3 * * ? *)", timezone="Europe/Berlin"))

The task, roles and logs are a web service's (`FargateWorkload`), its security group has egress only. The schedule
runs the task definition in the cluster's private subnets with the capacity strategy, as a role that only
scheduler.amazonaws.com of this account may assume, allowed `ecs:RunTask` on this task family in this cluster,
`iam:PassRole` on exactly the task's two roles (to ECS tasks only), `ecs:TagResource` on the tasks it starts,
`sqs:SendMessage` on the dead-letter queue when there is one, and `kms:Decrypt` on the customer managed key that
encrypts the schedule (`kms_key_arn`, the log groups' key) when there is one.
"""

from __future__ import annotations

from constructs import Construct

from .._jsii.aws import (
    IamRolePolicy,
    SchedulerSchedule,
    SchedulerScheduleFlexibleTimeWindow,
    SchedulerScheduleTarget,
    SchedulerScheduleTargetDeadLetterConfig,
    SchedulerScheduleTargetEcsParameters,
    SchedulerScheduleTargetEcsParametersCapacityProviderStrategy,
    SchedulerScheduleTargetEcsParametersNetworkConfiguration,
    SchedulerScheduleTargetRetryPolicy,
)
from ..constructs.iam import Statement, policy_document, service_role, source_account
from ..props.resource_names import scheduler_names
from .fargate_workload import FargateWorkload
from .headless_props import ScheduledTaskProps


class ScheduledTask(FargateWorkload):
    """Every object a caller may want is an attribute: `cluster`, `task_definition`, `schedule`,
    `scheduler_role`, `execution_role`, `task_role`, `log_group`, `security_groups`."""

    props: ScheduledTaskProps

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        props: ScheduledTaskProps,
        _literal: bool = False,
    ):
        super().__init__(scope, id, props=props, _literal=_literal)  # logs, secrets, env files, EFS, roles
        self.cluster = self.props.cluster
        self._add_private_tasks_group("ECS tasks of a scheduled task, egress only")
        self._add_task()
        self.schedule_name, role_name = scheduler_names(self.naming, self.props.service_name)
        self._add_scheduler_role(role_name)
        self._add_schedule()
        self._grant_task_efs()

    def _add_scheduler_role(self, name: str) -> None:
        props = self.props
        self.scheduler_role = service_role(
            self,
            "scheduler-role",
            name=name,
            description=f"EventBridge Scheduler runs {self.names.service} tasks",
            principal="scheduler.amazonaws.com",
            conditions=source_account(props.account_id),
            permissions_boundary_arn=props.permissions_boundary_arn,
        )
        IamRolePolicy(
            self,
            "scheduler-role-policy",
            name=f"{name}-policy",
            role=self.ref(self.scheduler_role).id,
            policy=policy_document(self, self._scheduler_statements()),
        )

    def _scheduler_statements(self) -> list[Statement]:
        props = self.props
        ecs = f"arn:aws:ecs:{props.region}:{props.account_id}"
        cluster_arn = self._cluster_arn()
        statements = [
            Statement(
                "RunTask",
                ["ecs:RunTask"],
                [f"{ecs}:task-definition/{self.names.service}:*"],
                {"ArnEquals": {"ecs:cluster": cluster_arn}},
            ),
            Statement(
                "PassTaskRoles",
                ["iam:PassRole"],
                [self.execution_role.arn, self.task_role.arn],
                {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}},
            ),
            Statement(
                "TagTasks",
                ["ecs:TagResource"],
                [f"{ecs}:task/{self._cluster_name()}/*"],
                {"StringEquals": {"ecs:CreateAction": "RunTask"}},
            ),
        ]
        if props.dead_letter_queue_arn:
            statements.append(Statement("DeadLetters", ["sqs:SendMessage"], [props.dead_letter_queue_arn]))
        if props.kms_key_arn:
            statements.append(Statement("DecryptSchedule", ["kms:Decrypt"], [props.kms_key_arn]))
        return statements

    def _add_schedule(self) -> None:
        props = self.props
        window = props.flexible_window_minutes
        self.schedule = SchedulerSchedule(
            self,
            "schedule",
            name=self.schedule_name,
            group_name="default",
            schedule_expression=props.schedule,
            schedule_expression_timezone=props.timezone,
            state="ENABLED" if props.enabled else "DISABLED",
            kms_key_arn=props.kms_key_arn,
            flexible_time_window=SchedulerScheduleFlexibleTimeWindow(
                mode="FLEXIBLE" if window else "OFF", maximum_window_in_minutes=window
            ),
            target=SchedulerScheduleTarget(
                arn=self._cluster_arn(),
                role_arn=self.ref(self.scheduler_role).arn,
                ecs_parameters=self._ecs_parameters(),
                retry_policy=SchedulerScheduleTargetRetryPolicy(
                    maximum_retry_attempts=props.retry.maximum_retry_attempts,
                    maximum_event_age_in_seconds=props.retry.maximum_event_age_seconds,
                ),
                dead_letter_config=(
                    SchedulerScheduleTargetDeadLetterConfig(arn=props.dead_letter_queue_arn)
                    if props.dead_letter_queue_arn
                    else None
                ),
            ),
        )

    def _ecs_parameters(self) -> SchedulerScheduleTargetEcsParameters:
        props = self.props
        return SchedulerScheduleTargetEcsParameters(
            task_definition_arn=self.ref(self.task_definition.task_definition).arn,
            task_count=1,
            network_configuration=SchedulerScheduleTargetEcsParametersNetworkConfiguration(
                subnets=props.network.private_subnet_ids,
                security_groups=self.security_groups.tasks_ids,
                assign_public_ip=False,
            ),
            capacity_provider_strategy=[
                SchedulerScheduleTargetEcsParametersCapacityProviderStrategy(
                    capacity_provider=provider, weight=weight, base=base or None
                )
                for provider, weight, base in self._capacity_strategy()
            ],
            enable_ecs_managed_tags=True,
            propagate_tags="TASK_DEFINITION",
            enable_execute_command=props.enable_execute_command or None,
        )
