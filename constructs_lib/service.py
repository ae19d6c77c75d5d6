"""`EcsFargateService`: one service of an env file, composed from one construct per AWS concern.

It reads top to bottom in the order AWS needs things: names, logs, roles, network, load balancer, task,
service, DNS. Every object a consumer may want is an attribute (`cluster`, `service`, `task_definition`,
`load_balancer`, `target_group`, `https_listener`, `http_listener`, `execution_role`, `task_role`,
`log_group`, `security_groups`).
"""

from __future__ import annotations

from constructs import Construct

from .cluster import FargateCluster
from .config import EnvConfig, ServiceConfig
from .container import ContainerInputs, render_container_definitions, scratch_volumes
from .dns import AliasRecord
from .efs import EfsVolumes
from .env_files import EnvironmentFiles
from .fargate_service import FargateService, ServiceSettings
from .iam import TaskRole
from .load_balancer import LoadBalancerSettings, ServiceLoadBalancer
from .logs import ServiceLogGroup
from .permissions import ServiceResources, execution_role_statements, task_role_statements
from .secrets import resolve_secrets
from .service_names import ServiceNames
from .security_groups import ServiceSecurityGroups
from .task_definition import FargateTaskDefinition

HEALTH_CHECK_GRACE_PERIOD_SECONDS = 60


class EcsFargateService(Construct):
    def __init__(self, scope: Construct, id: str, *, env: EnvConfig, service: ServiceConfig):
        super().__init__(scope, id)
        naming = env.naming
        self.names = ServiceNames(env, service)
        self.log_group = ServiceLogGroup(
            self, "logs", name=self.names.log_group, retention_in_days=service.log_retention_days, region=env.region,
            account_id=env.account_id, kms_key_arn=env.kms_key_arn,
        )
        secrets = resolve_secrets(service.parameters.secrets, naming, env.region, env.account_id)
        env_files = EnvironmentFiles(self, "env-files", files=service.environment_files or [], naming=naming)
        efs = EfsVolumes(
            self, "efs", volumes=service.efs_config.volumes if service.efs_config else [], naming=naming,
            region=env.region, account_id=env.account_id,
        )
        used = ServiceResources(
            region=env.region,
            account_id=env.account_id,
            log_group_arn=self.log_group.arn,
            secrets=secrets,
            image_repository_arn=self.names.image_repository_arn,
            environment_file_object_arns=env_files.object_arns,
            environment_file_bucket_arns=env_files.bucket_arns,
            iam_db_user_arn=self.names.iam_db_user_arn,
            app_bucket_names=[],
        )
        self.execution_role = TaskRole(
            self, "execution-role", name=self.names.execution_role,
            description=f"ECS starts {self.names.service} tasks: image pull, logs, secrets, env files",
            account_id=env.account_id, region=env.region, statements=execution_role_statements(used),
        )
        self.task_role = TaskRole(
            self, "task-role", name=self.names.task_role,
            description=f"The running {self.names.service} app: its logs, secrets and data",
            account_id=env.account_id, region=env.region, statements=task_role_statements(used),
        )
        self.security_groups = ServiceSecurityGroups(
            self,
            "security-groups",
            vpc_id=env.network.vpc_id,
            alb_group_names=(naming.alb_security_group(service.alb_name, "cloudfront"),
                             naming.alb_security_group(service.alb_name, "private")),
            tasks_group_name=self.names.tasks_security_group,
            create_alb_groups=env.network.create_security_groups,
            cloudfront_prefix_list_id=service.eu_west_cloudront_prefix_list_id,
            alb_ingress_cidrs=service.alb_ingress_cidrs,
            task_ports=[service.application_port],
        )
        alb = ServiceLoadBalancer(
            self,
            "alb",
            settings=LoadBalancerSettings(
                name=self.names.load_balancer,
                target_group_name=self.names.target_group,
                arn_parameter_name=naming.alb_arn_parameter(service.alb_name),
                vpc_id=env.network.vpc_id,
                subnet_ids=env.network.public_subnet_ids,
                security_group_ids=self.security_groups.alb_ids,
                certificate_arn=self.names.certificate_arn,
                target_port=service.application_port,
                health_check_path=service.health_check_path,
                deletion_protection=service.deletion_protection,
                idle_timeout_seconds=service.alb_idle_timeout_seconds,
                access_logs=service.alb_access_logs,
                waf_web_acl_arn=service.waf_web_acl_arn,
                kms_key_arn=env.kms_key_arn,
            ),
        )
        self.load_balancer = alb.load_balancer
        self.target_group = alb.target_group
        self.https_listener = alb.https_listener
        self.http_listener = alb.http_listener
        self.alb_arn_parameter = alb.arn_parameter

        self.cluster = FargateCluster(self, "cluster", name=self.names.cluster)
        container = ContainerInputs(
            name=service.service_name,
            image=self.names.image,
            log_group_name=self.log_group.name,
            region=env.region,
            secrets=secrets.value_from,
            environment_file_arns=env_files.object_arns,
        )
        self.task_definition = FargateTaskDefinition(
            self,
            "task",
            family=self.names.service,
            cpu=service.cpu,
            memory_limit_mib=service.memory_limit_mib,
            execution_role_arn=self.execution_role.arn,
            task_role_arn=self.task_role.arn,
            container_definitions=render_container_definitions(service, container),
            volumes=efs.task_volumes + scratch_volumes(service),
        )
        self.service = FargateService(
            self,
            "service",
            settings=ServiceSettings(
                name=self.names.service,
                desired_count=service.desired_count,
                subnet_ids=env.network.private_subnet_ids,
                security_group_ids=[self.security_groups.tasks_id],
                container_name=service.service_name,
                container_port=service.application_port,
                health_check_grace_period_seconds=HEALTH_CHECK_GRACE_PERIOD_SECONDS,
            ),
            cluster_id=self.cluster.cluster.id,
            task_definition_arn=self.task_definition.task_definition.arn,
            target_group_arn=self.target_group.arn,
            depends_on=[self.https_listener, self.cluster.capacity_providers],
        )
        self.dns = AliasRecord(
            self, "dns", zone_id=service.route53.hosted_zone_id, fqdn=self.names.fqdn, load_balancer=self.load_balancer
        )
        self._grant_efs(efs, service)

    def _grant_efs(self, efs: EfsVolumes, service: ServiceConfig) -> None:
        """Mounting through an access point with IAM authorization needs the task role to allow it."""
        if not service.efs_config or not efs.file_system_arns:
            return
        writable = {m.volume_name for m in service.efs_config.mount_points if not m.read_only}
        read_arns = list(dict.fromkeys(efs.file_system_arns.values()))
        write_arns = list(dict.fromkeys(arn for name, arn in efs.file_system_arns.items() if name in writable))
        self.task_role.grant("efs-mount", actions=["elasticfilesystem:ClientMount"], resources=read_arns)
        if write_arns:
            self.task_role.grant("efs-write", actions=["elasticfilesystem:ClientWrite"], resources=write_arns)
