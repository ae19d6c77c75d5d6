"""`EnvironmentStack`: what the services of one env file share, in its own stack `<environment>-environment` with
its own state, applied before the services: the clusters, the Service Connect namespaces, the log KMS key, the ALB
access-log bucket, the WAF web ACL (each switched by `environment_resources`) and the shared ALBs it lists.

Service stacks find each by the names `EnvironmentNames` derives, so destroying a service stack never touches what
another service needs. With `import_existing`, the clusters and namespaces that service stacks of an earlier
release created are imported (Terraform import blocks) instead of created: see the README's upgrade sequence.
"""

from __future__ import annotations

import re

from constructs import Construct

from .._jsii.embedded_json import renders_hcl
from .._jsii.engine import TerraformOutput
from .._jsii.literal import literal_data
from ..config import EnvConfig, ServiceConfig
from ..config.service_names import (
    environment_stack_state_key,
    owned_clusters,
    owned_namespaces,
)
from ..config.shared_load_balancers import EnvironmentLoadBalancerConfig
from ..constructs.access_log_bucket import AccessLogBucket
from ..constructs.cluster import ClusterSettings, FargateCluster
from ..constructs.environment_load_balancer import EnvironmentLoadBalancer
from ..constructs.environment_lookups import NamespaceByName
from ..constructs.load_balancer import LoadBalancerSettings
from ..constructs.log_key import LogKey
from ..constructs.logs import ServiceLogGroup
from ..constructs.namespace import HttpNamespace
from ..constructs.web_acl import ManagedRulesWebAcl
from ..props.environment_names import EnvironmentNames
from ..props.naming import short_hash
from ..props.security import AlbAccessLogsConfig
from .stack import AwsStack

EXEC_LOG_RETENTION_DAYS = 365  # ECS Exec sessions are an audit trail


class EnvironmentStack(AwsStack):
    def __init__(self, scope: Construct, id: str, *, env: EnvConfig):
        tags = {"organization": env.organization, "environment": env.environment}
        super().__init__(scope, id, env=env, tags=tags, root_id="environment")
        self.state_in_bucket(env, environment_stack_state_key(env))
        env = literal_data(env, hcl=renders_hcl(self))  # user strings reach AWS as written (literal.py)
        self.env = env
        self.names = EnvironmentNames(env.naming, env.account_id, env.region)
        resources = env.environment_resources
        self.log_key = (
            LogKey(
                self,
                "log-key",
                alias=self.names.log_key_alias,
                account_id=env.account_id,
                region=env.region,
            )
            if resources.log_kms_key and env.kms_key_arn is None
            else None
        )
        self.kms_key_arn = self.log_key.arn if self.log_key else env.kms_key_arn
        self.clusters = {
            name: self._add_cluster(name, [u for u in users if isinstance(u, ServiceConfig)])
            for name, users in owned_clusters(env).items()
        }
        self.namespaces = {name: self._add_namespace(name) for name in owned_namespaces(env)}
        self.access_log_bucket = (
            AccessLogBucket(
                self,
                "alb-access-logs",
                bucket_name=self.names.access_log_bucket,
                account_id=env.account_id,
                region=env.region,
                retention_days=resources.alb_access_log_retention_days,
                server_access_log_bucket=env.state.access_log_bucket,
            )
            if resources.alb_access_logs
            else None
        )
        self.web_acl = (
            ManagedRulesWebAcl(
                self,
                "web-acl",
                name=self.names.web_acl,
                log_group_name=self.names.web_acl_log_group,
                kms_key_arn=self.kms_key_arn,
            )
            if resources.waf_web_acl
            else None
        )
        self.load_balancers = {lb.name: self._add_load_balancer(lb) for lb in resources.load_balancers}

    def _add_cluster(self, cluster_name: str, services: list[ServiceConfig]) -> FargateCluster:
        """Cluster-wide storage keys come from the services that set them (the rules let them agree); workers and
        scheduled tasks run in the cluster but set none."""
        id = f"cluster-{address_part(cluster_name)}"
        exec_logs = ServiceLogGroup(
            self,
            f"{id}-exec-logs",
            name=self.names.exec_log_group(cluster_name),
            retention_in_days=EXEC_LOG_RETENTION_DAYS,
            region=self.env.region,
            account_id=self.env.account_id,
            kms_key_arn=self.kms_key_arn,
        )
        cluster = FargateCluster(
            self,
            id,
            settings=ClusterSettings(
                name=self.names.cluster(cluster_name),
                kms_key_arn=self.kms_key_arn,
                exec_log_group_name=exec_logs.name,
                fargate_ephemeral_storage_kms_key_id=next(
                    (
                        s.fargate_ephemeral_storage_kms_key_id
                        for s in services
                        if s.fargate_ephemeral_storage_kms_key_id
                    ),
                    None,
                ),
                managed_storage_kms_key_id=next(
                    (s.managed_storage_kms_key_id for s in services if s.managed_storage_kms_key_id),
                    None,
                ),
            ),
        )
        if self.env.environment_resources.import_existing:
            cluster.cluster.import_from(self.names.cluster(cluster_name))
            cluster.capacity_providers.import_from(self.names.cluster(cluster_name))
        return cluster

    def _add_load_balancer(self, config: EnvironmentLoadBalancerConfig) -> EnvironmentLoadBalancer:
        """Logs without a prefix: the bucket policy admits `AWSLogs/<account>/` at its root, and each log file's
        name carries the ALB's. The web ACL guards it when internet-facing; its outputs are what services and
        other stacks read (services themselves find it by name, never through this stack's state)."""
        network, bucket = self.env.network, self.access_log_bucket
        id = f"alb-{address_part(config.name)}"
        alb = EnvironmentLoadBalancer(
            self,
            id,
            settings=LoadBalancerSettings(
                name=self.names.load_balancer(config.name),
                subnet_ids=network.private_subnet_ids if config.internal else network.public_subnet_ids,
                security_group_ids=[],  # its own two groups
                certificate_arn=config.certificate_arn,
                internal=config.internal,
                deletion_protection=config.deletion_protection,
                idle_timeout_seconds=config.idle_timeout_seconds,
                access_logs=AlbAccessLogsConfig.model_construct(bucket=bucket.name, prefix="") if bucket else None,
                waf_web_acl_arn=self.web_acl.arn if self.web_acl and not config.internal else None,
            ),
            vpc_id=network.vpc_id,
            group_names=self.names.load_balancer_security_groups(config.name),
            cloudfront_prefix_list_id=config.cloudfront_prefix_list_id,
            ingress_cidrs=config.ingress_cidrs,
            depends_on=[bucket.policy] if bucket else None,
        )
        output = id.replace("-", "_")
        for name, value in (
            ("arn", alb.load_balancer.arn),
            ("dns_name", alb.dns_name),
            ("listener_arn", alb.https_listener.arn),
            ("security_group_id", alb.security_groups.alb_cloudfront_id),
        ):
            TerraformOutput(self, f"{output}_{name}", value=value)
        return alb

    def _add_namespace(self, name: str) -> HttpNamespace:
        id = f"namespace-{address_part(name)}"
        namespace = HttpNamespace(self, id, name=name)
        if self.env.environment_resources.import_existing:
            # A namespace is imported by its id (ns-...), which only AWS knows: found by name during the plan.
            existing = NamespaceByName(self, f"existing-{id}", name=name)
            namespace.namespace.import_from(existing.namespace.id)
        return namespace


def address_part(name: str) -> str:
    """`name` as a readable piece of a Terraform address; a hash keeps two names that read alike apart."""
    readable = re.sub(r"[^A-Za-z0-9-]", "-", name)
    return readable if readable == name and "_" not in name else f"{readable}-{short_hash(name)}"
