"""`EcsFargateService`: one service of an env file, composed from one construct per AWS concern.

It reads top to bottom in the order AWS needs things: names, logs, roles (service_roles.py), network, load
balancing (service_routing.py), cluster, task, service, DNS. Every object a consumer may want is an attribute
(`cluster`, `service`, `task_definition`, `load_balancer`, `target_group`, `https_listener`, `http_listener`,
`execution_role`, `task_role`, `log_group`, `security_groups`).
"""

from __future__ import annotations

from constructs import Construct

from .._jsii.addressing import Part
from .._jsii.embedded_json import renders_hcl
from .._jsii.literal import literal_data
from ..config import EnvConfig, ServiceConfig
from ..config.service_names import ServiceNames
from ..constructs.alarms import ServiceAlarms
from ..constructs.autoscaling import ServiceAutoScaling
from ..constructs.certificate import DnsValidatedCertificate
from ..constructs.cluster import ClusterSettings, FargateCluster
from ..constructs.codedeploy import CodeDeployBlueGreen
from ..constructs.container import ContainerInputs, render_container_definitions, scratch_volumes
from ..constructs.conventions import DEFAULT_CAPACITY_STRATEGY
from ..constructs.discovery import ServiceConnect, ServiceDiscovery
from ..constructs.dns import AliasRecord
from ..constructs.ec2_capacity import Ec2Capacity
from ..constructs.efs import EfsVolumes
from ..constructs.env_files import EnvironmentFiles
from ..constructs.fargate_service import FargateService, ServiceSettings, TargetBinding
from ..constructs.logs import ServiceLogGroup
from ..constructs.security_groups import ServiceSecurityGroups
from ..constructs.task_definition import FargateTaskDefinition
from .secrets import SecretSources, resolve_secrets
from .service_roles import ServiceRoles
from .service_routing import ServiceRouting


class EcsFargateService(ServiceRoles, ServiceRouting, Part):
    """`env` and `service` are the validated models as the user wrote them; `self.env` and `self.config` are their
    literal views (literal.py), the only form the constructs below ever see."""

    def __init__(self, scope: Construct, id: str, *, env: EnvConfig, service: ServiceConfig):
        super().__init__(scope, id)
        hcl = renders_hcl(self)
        # The env's own settings only: its other services are not this one's, and copying them all for every
        # service made a synth quadratic in the services of an env file.
        env = literal_data(env.model_copy(update={"services": []}), hcl=hcl)
        service = literal_data(service, hcl=hcl)
        self.env, self.config = env, service
        self._blue_green: tuple[str, str, str] | None = None  # set by _add_ecs_blue_green
        self._uses_ec2 = any(i.capacity_provider == "EC2" for i in service.capacity_provider_strategy or [])
        naming = env.naming
        self.names = ServiceNames(env, service)
        self.log_group = ServiceLogGroup(
            self, "logs", name=self.names.log_group, retention_in_days=service.log_retention_days, region=env.region,
            account_id=env.account_id, kms_key_arn=env.kms_key_arn,
        )
        app_secrets = resolve_secrets(service.parameters.secrets, naming, env.region, env.account_id)
        sidecar_secrets = {s.name: resolve_secrets(s.secrets, naming, env.region, env.account_id) for s in service.sidecars}
        env_files = EnvironmentFiles(self, "env-files", files=service.environment_files or [], naming=naming)
        efs = EfsVolumes(
            self, "efs", volumes=service.efs_config.volumes if service.efs_config else [], naming=naming,
            region=env.region, account_id=env.account_id,
        )
        self._add_roles(app_secrets, list(sidecar_secrets.values()), env_files)
        self._add_network()
        self._add_load_balancing()
        self._add_cluster()
        self._add_task(app_secrets, sidecar_secrets, env_files, efs)
        self._add_service()
        self.dns = AliasRecord(
            self, "dns", zone_id=service.route53.hosted_zone_id, fqdn=self.names.fqdn,
            dns_name=self.load_balancer_dns_name, zone_id_of_target=self.load_balancer_zone_id,
        )
        self._grant_efs(efs, service)

    def _add_network(self) -> None:
        """The security groups, and the certificate the HTTPS listener serves."""
        env, service, naming = self.env, self.config, self.env.naming
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
            task_ports=self._task_ports(),
            shared_alb_group_id=service.shared_alb.security_group_id if service.shared_alb else None,
            instances_group_name=naming.resource(f"{service.service_name}-instances", 200) if self._uses_ec2 else None,
        )
        self.certificate_arn = self.names.certificate_arn
        if service.create_certificate:
            self.certificate = DnsValidatedCertificate(
                self, "certificate", domain_name=self.names.fqdn, zone_id=service.route53.hosted_zone_id
            )
            self.certificate_arn = self.certificate.certificate_arn  # the listener waits for the validation

    def _add_cluster(self) -> None:
        """The alarms (the service depends on its deployment alarms), the EC2 capacity and the cluster."""
        env, service, naming = self.env, self.config, self.env.naming
        # Alarm dimensions use the plain names, so the service can depend on its deployment alarms.
        self.alarms = (
            ServiceAlarms(
                self, "alarms", config=service.alarms, alarm_name_prefix=self.names.service,
                cluster_name=self.names.cluster, service_name=self.names.service,
                alb_arn_suffix=self._routing.arn_suffix, target_group_arn_suffix=self.ref(self.target_group).arn_suffix,
            )
            if service.alarms
            else None
        )
        self.ec2_capacity = (
            Ec2Capacity(
                self, "ec2-capacity", config=env.ec2_capacity, name=naming.resource(f"{service.service_name}-ec2", 255),
                cluster_name=self.names.cluster, subnet_ids=env.network.private_subnet_ids,
                security_group_ids=[self.security_groups.instances_id], region=env.region, account_id=env.account_id,
            )
            if self._uses_ec2 and env.ec2_capacity
            else None
        )
        self.cluster = FargateCluster(
            self,
            "cluster",
            extra_capacity_providers=[self.ref(self.ec2_capacity.capacity_provider).name] if self.ec2_capacity else [],
            settings=ClusterSettings(
                name=self.names.cluster,
                exec_log_group_name=self.log_group.name if service.enable_execute_command else None,
                kms_key_arn=env.kms_key_arn,
                fargate_ephemeral_storage_kms_key_id=service.fargate_ephemeral_storage_kms_key_id,
                managed_storage_kms_key_id=service.managed_storage_kms_key_id,
            ),
        )

    def _add_task(
        self, app_secrets: SecretSources, sidecar_secrets: dict[str, SecretSources], env_files: EnvironmentFiles,
        efs: EfsVolumes,
    ) -> None:
        env, service = self.env, self.config
        container = ContainerInputs(
            name=service.service_name,
            image=self.names.image,
            log_group_name=self.log_group.name,
            region=env.region,
            secrets=app_secrets.value_from,
            sidecar_secrets={name: sources.value_from for name, sources in sidecar_secrets.items()},
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
            container_definitions=render_container_definitions(self, service, container),
            volumes=efs.task_volumes + scratch_volumes(service),
            cpu_architecture=service.cpu_architecture,
            operating_system_family=service.operating_system_family,
            ephemeral_storage_gib=service.ephemeral_storage_gib,
            launch_type="EC2" if self._uses_ec2 else "FARGATE",
        )

    def _add_service(self) -> None:
        """The ECS service and what runs beside it: Service Connect, discovery, CodeDeploy, auto scaling."""
        env, service = self.env, self.config
        self.service_connect = (
            ServiceConnect(
                self, "service-connect", config=service.service_connect, default_name=service.service_name,
                app_port=service.application_port,
            )
            if service.service_connect
            else None
        )
        self.service_discovery = (
            ServiceDiscovery(self, "service-discovery", config=service.service_discovery, default_name=service.service_name)
            if service.service_discovery
            else None
        )
        self.service = FargateService(
            self,
            "service",
            settings=self._service_settings(),
            cluster_id=self.ref(self.cluster.cluster).id,
            task_definition_arn=self.ref(self.task_definition.task_definition).arn,
            depends_on=[
                self.https_listener or self.routes.rules[0],
                self.cluster.capacity_providers,
                *(self.alarms.alarms.values() if self.alarms else []),
            ],
        )
        self.codedeploy = (
            CodeDeployBlueGreen(
                self, "codedeploy", name=self.names.service, cluster_name=self.ref(self.cluster.cluster).name,
                service_name=self.ref(self.service.service).name, prod_listener_arn=self.ref(self.https_listener).arn,
                test_listener_arn=self.ref(self.alb.extra_listeners["green"]).arn,
                blue_target_group_name=self.ref(self.target_group).name,
                green_target_group_name=self.ref(self.alb.extra_target_groups["green"].target_group).name,
                bake_time_minutes=service.blue_green_bake_time_minutes, account_id=env.account_id, region=env.region,
            )
            if service.deployment_ownership == "codedeploy"
            else None
        )
        self.autoscaling = (
            ServiceAutoScaling(
                self, "autoscaling", config=service.autoscaling, cluster_name=self.ref(self.cluster.cluster).name,
                service_name=self.ref(self.service.service).name, alb_arn_suffix=self._routing.arn_suffix,
                target_group_arn_suffix=self.ref(self.target_group).arn_suffix,
            )
            if service.autoscaling
            else None
        )

    def _task_ports(self) -> list[int]:
        service = self.config
        ports = [service.application_port]
        if service.admin_public and service.admin_port is not None:
            ports.append(service.admin_port)
        return ports

    def _service_settings(self) -> ServiceSettings:
        service = self.config
        targets = [TargetBinding(self.ref(self.target_group).arn, service.service_name, service.application_port)]
        if self.load_balancer is not None and "admin" in self.alb.extra_target_groups:
            targets.append(TargetBinding(self.alb.extra_target_groups["admin"].arn, service.service_name, service.admin_port))
        ec2_name = self.ec2_capacity.capacity_provider_name if self.ec2_capacity else "EC2"
        strategy = (
            tuple(
                (ec2_name if i.capacity_provider == "EC2" else i.capacity_provider, i.weight, i.base)
                for i in service.capacity_provider_strategy
            )
            if service.capacity_provider_strategy
            else DEFAULT_CAPACITY_STRATEGY
        )
        return ServiceSettings(
            name=self.names.service,
            desired_count=service.desired_count,
            subnet_ids=self.env.network.private_subnet_ids,
            security_group_ids=[self.security_groups.tasks_id],
            targets=targets,
            health_check_grace_period_seconds=service.health_check_grace_period_seconds,
            capacity_provider_strategy=strategy,
            deployment_owner=service.deployment_ownership,
            autoscaled=service.autoscaling is not None,
            enable_execute_command=service.enable_execute_command,
            deployment_alarm_names=service.deployment_alarms.alarm_names if service.deployment_alarms else [],
            deployment_alarm_rollback=service.deployment_alarms.rollback if service.deployment_alarms else True,
            wait_for_steady_state=service.wait_for_steady_state,
            force_new_deployment=service.force_new_deployment,
            service_connect_configuration=self.service_connect.service_connect_configuration if self.service_connect else None,
            service_registry_arn=self.service_discovery.registry_arn if self.service_discovery else None,
            blue_green=self._blue_green,
            bake_time_minutes=service.blue_green_bake_time_minutes,
            service_registry_port=(
                service.application_port
                if self.service_discovery and self.service_discovery.record_type == "SRV"
                else None
            ),
        )
