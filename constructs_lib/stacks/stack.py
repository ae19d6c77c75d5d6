"""Stacks: `ServiceStack` (one per service, S3 state) on a shared base that pins the provider and makes
Terraform addresses readable; `PinnedStack` and `s3_backend` give a stack of your own the same pins and state."""

from __future__ import annotations

from typing import Any

from constructs import Construct

from .._jsii.addressing import ADDRESS, RENDERS_HCL, ROOT_ID
from .._jsii.aws import AwsProvider, AwsProviderDefaultTags
from .._jsii.embedded_json import app_renders_hcl, renders_hcl
from .._jsii.engine import App, S3Backend, TerraformOutput, TerraformStack
from .._jsii.fast_void import unanswered
from .._jsii.hcl import terraform_hcl
from .._jsii.literal import backend_literal, literal_data
from ..config import EnvConfig, ServiceConfig
from ..config.service_names import state_key
from ..constructs.cluster import FargateCluster
from ..patterns.service import EcsFargateService
from .migration import forget_moved_to_environment

# The prebuilt bindings target AWS provider 6.25; every attribute we set also exists in 5.100.
AWS_PROVIDER_CONSTRAINT = ">= 5.100, < 7.0"
TERRAFORM_VERSION_CONSTRAINT = ">= 1.10"  # S3-native state locking (use_lockfile)
MANAGED_BY = "ecs-cdktf"


class PinnedStack(TerraformStack):
    """A stack that constrains Terraform and the AWS provider as the library's own stacks do (the prebuilt
    bindings alone would pin `hashicorp/aws` to exactly 6.25.0), and whose `cdktf synth --hcl` output is plain
    Terraform that `terraform validate` and `terraform fmt -check` accept (see hcl.py). Any cdktf app can build
    its stacks on it."""

    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        with unanswered():  # fixed blocks of a new stack: the calls cannot fail
            self.add_override(
                "terraform.required_providers.aws", {"source": "hashicorp/aws", "version": AWS_PROVIDER_CONSTRAINT}
            )
            self.add_override("terraform.required_version", TERRAFORM_VERSION_CONSTRAINT)

    def to_hcl_terraform(self) -> Any:
        """cdktf 0.21's HCL writer renders `required_version` as `0 = "required_version"`: put it back, then mend
        its references (hcl.py)."""
        result = dict(super().to_hcl_terraform())
        result["hcl"] = terraform_hcl(
            result["hcl"].replace('0 = "required_version"', f'required_version = "{TERRAFORM_VERSION_CONSTRAINT}"')
        )
        return result


def s3_backend(
    stack: TerraformStack, *, bucket: str, key: str, region: str, kms_key_id: str | None = None
) -> S3Backend:
    """Encrypted S3 state with S3-native locking (no DynamoDB table). cdktf 0.21's `S3Backend` has no
    `use_lockfile`: it is added as an override. The values are literal: Terraform reads a backend block of a
    `.tf.json` verbatim but templates an HCL one, so they are escaped for HCL output only (literal.py)."""
    hcl = renders_hcl(stack)
    backend = S3Backend(
        stack,
        bucket=backend_literal(bucket, hcl=hcl),
        key=backend_literal(key, hcl=hcl),
        region=region,
        encrypt=True,
        kms_key_id=None if kms_key_id is None else backend_literal(kms_key_id, hcl=hcl),
    )
    with unanswered():
        stack.add_override("terraform.backend.s3.use_lockfile", True)
    return backend


class AwsStack(PinnedStack):
    """A stack of one environment: the AWS provider in the env's account and region, default tags on every
    taggable resource, and readable addresses from the construct path below `root_id` (see addressing.py)."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        env: EnvConfig,
        tags: dict[str, str],
        root_id: str,
        region: str | None = None,
    ):
        super().__init__(scope, id)
        self._root_id = root_id
        setattr(self, ADDRESS, [])
        setattr(self, ROOT_ID, root_id)
        if isinstance(scope, App):
            setattr(self, RENDERS_HCL, app_renders_hcl(scope))
        default_tags = literal_data({**env.tags, **tags, "managed-by": MANAGED_BY}, hcl=renders_hcl(self))
        AwsProvider(
            self,
            "aws",
            region=region or env.region,
            allowed_account_ids=[env.account_id],
            default_tags=[AwsProviderDefaultTags(tags=default_tags)],
        )

    def state_in_bucket(self, env: EnvConfig, key: str) -> None:
        """The stack's state at `key` in the env's state bucket: encrypted, S3-native locking."""
        state = env.state
        s3_backend(self, bucket=state.bucket, key=key, region=state.region, kms_key_id=state.kms_key_id)


class ServiceStack(AwsStack):
    def __init__(self, scope: Construct, id: str, *, env: EnvConfig, service: ServiceConfig):
        tags = {"organization": env.organization, "environment": env.environment, "service": service.service_name}
        super().__init__(scope, id, env=env, tags=tags, root_id="service")
        self.state_in_bucket(env, state_key(env, service))
        self.service = EcsFargateService(self, "service", env=env, service=service)  # escapes its own input
        self._outputs(self.service)
        forget_moved_to_environment(self, env, service)

    def _outputs(self, service: EcsFargateService) -> None:
        """What other stacks read (`ServiceRemoteState`): a shared ALB's rules need the listener and the security
        groups, a consumer's extra resources the cluster."""
        ref = service.ref  # outputs of this stack: its own wiring
        cluster = service.cluster
        assert cluster is not None  # _add_cluster sets it: the props' cluster or one of its own
        outputs = {
            "cluster_arn": ref(cluster.cluster).arn if isinstance(cluster, FargateCluster) else cluster.arn,
            "service_arn": ref(service.service.service).id,
            "task_definition_arn": ref(service.task_definition.task_definition).arn,
            "load_balancer_dns_name": service.load_balancer_dns_name,
            "target_group_arn": ref(service.target_group).arn,
            "task_role_arn": service.task_role.arn,
            "execution_role_arn": service.execution_role.arn,
            "url": service.url,
        }
        shared = service.props.shared_alb
        if shared:
            outputs["listener_arn"] = shared.listener_arn
        else:
            assert service.listener is not None  # without shared_alb the service has a load balancer of its own
            outputs["listener_arn"] = ref(service.listener).arn
        outputs["cluster_name"] = ref(cluster.cluster).name if isinstance(cluster, FargateCluster) else cluster.name
        lists = {
            "security_group_ids": service.security_groups.tasks_ids,
            "load_balancer_security_group_ids": service.security_groups.alb_ids,
        }
        if service.load_balancer is not None:
            outputs["load_balancer_arn"] = ref(service.load_balancer).arn
        for name, value in sorted({**outputs, **lists}.items()):
            TerraformOutput(self, name, value=value)
