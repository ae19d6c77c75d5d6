"""`ServiceStack`: one Terraform stack per service, with its own S3 state key, provider and outputs."""

from __future__ import annotations

from constructs import Construct, Node
from cdktf import S3Backend, TerraformElement, TerraformOutput, TerraformStack

from .aws import AwsProvider, AwsProviderDefaultTags
from .config import EnvConfig, ServiceConfig
from .service import EcsFargateService

# The prebuilt bindings target AWS provider 6.25; every attribute we set also exists in 5.100.
AWS_PROVIDER_CONSTRAINT = ">= 5.100, < 7.0"
TERRAFORM_VERSION_CONSTRAINT = ">= 1.10"  # S3-native state locking (use_lockfile)


def stack_name(env: EnvConfig, service: ServiceConfig) -> str:
    return f"{env.environment}-{service.service_name}"


def state_key(env: EnvConfig, service: ServiceConfig) -> str:
    return f"{env.state.key_prefix}/{env.environment}/{service.service_name}/terraform.tfstate"


class ServiceStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, *, env: EnvConfig, service: ServiceConfig):
        super().__init__(scope, id)
        AwsProvider(
            self,
            "aws",
            region=env.region,
            allowed_account_ids=[env.account_id],
            default_tags=[AwsProviderDefaultTags(tags=default_tags(env, service))],
        )
        self.add_override("terraform.required_providers.aws", {"source": "hashicorp/aws", "version": AWS_PROVIDER_CONSTRAINT})
        self.add_override("terraform.required_version", TERRAFORM_VERSION_CONSTRAINT)
        S3Backend(
            self,
            bucket=env.state.bucket,
            key=state_key(env, service),
            region=env.state.region,
            encrypt=True,
            kms_key_id=env.state.kms_key_id,
        )
        # cdktf 0.21's S3Backend has no use_lockfile: S3-native locking is added as an override.
        self.add_override("terraform.backend.s3.use_lockfile", True)
        self.service = EcsFargateService(self, "service", env=env, service=service)
        self._outputs(self.service)

    def _allocate_logical_id(self, element: Node | TerraformElement) -> str:
        """Readable Terraform addresses from the construct path (`aws_lb.alb`, `aws_lb_listener.alb_https`)
        instead of cdktf's hashed ones: they are a public contract, and a reviewer reads them in every plan."""
        node = element if isinstance(element, Node) else element.node
        parts = node.path.split("/")[1:]
        if parts and parts[0] == "service":
            parts = parts[1:]
        return "_".join(p for p in parts if p != "Default").replace("-", "_")

    def _outputs(self, service: EcsFargateService) -> None:
        outputs = {
            "cluster_arn": service.cluster.cluster.arn,
            "service_arn": service.service.service.id,
            "task_definition_arn": service.task_definition.task_definition.arn,
            "load_balancer_arn": service.load_balancer.arn,
            "load_balancer_dns_name": service.load_balancer.dns_name,
            "target_group_arn": service.target_group.arn,
            "task_role_arn": service.task_role.arn,
            "execution_role_arn": service.execution_role.arn,
            "url": f"https://{service.names.fqdn}",
        }
        for name, value in outputs.items():
            TerraformOutput(self, name, value=value)


def default_tags(env: EnvConfig, service: ServiceConfig) -> dict[str, str]:
    return {
        **env.tags,
        "organization": env.organization,
        "environment": env.environment,
        "service": service.service_name,
        "managed-by": "ecs-cdktf",
    }
