"""EC2 capacity for the cluster (Massdriver's node groups, the AWS CDK's `add_capacity`): ECS-optimized Amazon
Linux 2023 instances in an Auto Scaling group that an ECS capacity provider scales and protects.

- The AMI comes from AWS's public SSM parameter, so every apply picks up the recommended image (a new launch
  template version; running instances keep theirs until ECS replaces them).
- The instance role holds only what the ECS agent calls, scoped to this cluster where IAM allows. Images and
  logs go through each task's execution role (ECS agent >= 1.16), so the instances need no ECR or Logs access.
- IMDSv2 only, hop limit 1, and `ECS_AWSVPC_BLOCK_IMDS`: tasks cannot reach the instance's credentials.
- Managed termination protection needs `protect_from_scale_in` on the group: ECS, not the group, picks which
  instance may go (only those without tasks).
"""

from __future__ import annotations

from constructs import Construct

from .._jsii.addressing import Part
from .._jsii.aws import (
    AutoscalingGroup,
    AutoscalingGroupLaunchTemplate,
    AutoscalingGroupMixedInstancesPolicy,
    AutoscalingGroupMixedInstancesPolicyInstancesDistribution,
    AutoscalingGroupMixedInstancesPolicyLaunchTemplate,
    AutoscalingGroupMixedInstancesPolicyLaunchTemplateLaunchTemplateSpecification,
    AutoscalingGroupTag,
    DataAwsSsmParameter,
    EcsCapacityProvider,
    EcsCapacityProviderAutoScalingGroupProvider,
    EcsCapacityProviderAutoScalingGroupProviderManagedScaling,
    IamInstanceProfile,
    IamRolePolicy,
    LaunchTemplate,
    LaunchTemplateBlockDeviceMappings,
    LaunchTemplateBlockDeviceMappingsEbs,
    LaunchTemplateIamInstanceProfile,
    LaunchTemplateMetadataOptions,
)
from .._jsii.engine import Fn, Token
from ..props.capacity import INSTANCE_TYPE_BY_PRESET, Ec2CapacityConfig
from ..props.limits import IAM_ROLE_NAME_MAX
from ..props.naming import fit
from .iam import Statement, policy_document, service_role

AMI_PARAMETER = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
ROOT_DEVICE = "/dev/xvda"  # the root device of the ECS-optimized AL2023 AMIs
TARGET_CAPACITY_PERCENT = 100  # managed scaling keeps the group exactly as large as the tasks need
RESERVED_PREFIXES = ("aws", "ecs", "fargate")  # a capacity provider name may not start with these


class Ec2Capacity(Part):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        config: Ec2CapacityConfig,
        name: str,
        cluster_name: str,
        subnet_ids: list[str],
        security_group_ids: list[str],
        region: str,
        account_id: str,
        permissions_boundary_arn: str | None = None,
    ):
        super().__init__(scope, id)
        if name.lower().startswith(RESERVED_PREFIXES):
            raise ValueError(f"capacity provider name {name!r} may not start with {', '.join(RESERVED_PREFIXES)}")
        self.capacity_provider_name = name
        self.instance_type = config.instance_type or INSTANCE_TYPE_BY_PRESET[config.preset or ""]
        self._add_instance_role(name, cluster_name, region, account_id, config.spot, permissions_boundary_arn or None)
        self._add_launch_template(name, cluster_name, security_group_ids, config.spot)
        self.auto_scaling_group = AutoscalingGroup(
            self,
            "asg",
            name=name,
            min_size=config.min_size,
            max_size=config.max_size,
            vpc_zone_identifier=subnet_ids,
            protect_from_scale_in=True,
            # Destroying the group otherwise waits for protected instances that never leave, then times out.
            force_delete=True,
            health_check_type="EC2",
            launch_template=None if config.spot else self._template_reference(),
            mixed_instances_policy=self._spot_policy() if config.spot else None,
            tag=[
                AutoscalingGroupTag(key="AmazonECSManaged", value="true", propagate_at_launch=True),
                AutoscalingGroupTag(key="Name", value=name, propagate_at_launch=True),
            ],
        )
        self.capacity_provider = EcsCapacityProvider(
            self,
            "Default",
            name=name,
            auto_scaling_group_provider=EcsCapacityProviderAutoScalingGroupProvider(
                auto_scaling_group_arn=self.ref(self.auto_scaling_group).arn,
                managed_termination_protection="ENABLED",
                managed_draining="ENABLED",
                managed_scaling=EcsCapacityProviderAutoScalingGroupProviderManagedScaling(
                    status="ENABLED", target_capacity=TARGET_CAPACITY_PERCENT
                ),
            ),
        )

    def _add_instance_role(
        self, name: str, cluster_name: str, region: str, account_id: str, spot: bool, boundary_arn: str | None
    ) -> None:
        role_name = fit(f"{name}-instance", IAM_ROLE_NAME_MAX)
        self.instance_role = service_role(
            self,
            "instance-role",
            name=role_name,
            description=f"ECS agent on the {name} container instances: register, poll, report state",
            principal="ec2.amazonaws.com",
            permissions_boundary_arn=boundary_arn,
        )
        IamRolePolicy(
            self,
            "instance-role-policy",
            name=f"{role_name}-agent",
            role=self.ref(self.instance_role).id,
            policy=policy_document(self, agent_statements(cluster_name, region, account_id, spot=spot)),
        )
        self.instance_profile = IamInstanceProfile(
            self, "instance-profile", name=role_name, role=self.ref(self.instance_role).name
        )

    def _add_launch_template(self, name: str, cluster_name: str, security_group_ids: list[str], spot: bool) -> None:
        self.ami = DataAwsSsmParameter(self, "ami", name=AMI_PARAMETER)
        self.launch_template = LaunchTemplate(
            self,
            "launch-template",
            name=name,
            description=f"ECS-optimized Amazon Linux 2023 container instances of cluster {cluster_name}",
            # An AMI id is public: the insecure value keeps it readable in plans.
            image_id=self.ami.insecure_value,
            instance_type=self.instance_type,
            vpc_security_group_ids=security_group_ids,
            iam_instance_profile=LaunchTemplateIamInstanceProfile(arn=self.ref(self.instance_profile).arn),
            metadata_options=LaunchTemplateMetadataOptions(
                http_endpoint="enabled",
                http_tokens="required",
                http_put_response_hop_limit=1,
                instance_metadata_tags="disabled",
            ),
            block_device_mappings=[
                LaunchTemplateBlockDeviceMappings(
                    device_name=ROOT_DEVICE,
                    ebs=LaunchTemplateBlockDeviceMappingsEbs(
                        encrypted="true", volume_type="gp3", delete_on_termination="true"
                    ),
                )
            ],
            user_data=_user_data(cluster_name, spot),
            update_default_version=True,
        )

    def _template_reference(self) -> AutoscalingGroupLaunchTemplate:
        return AutoscalingGroupLaunchTemplate(
            id=self.ref(self.launch_template).id, version=Token.as_string(self.launch_template.latest_version)
        )

    def _spot_policy(self) -> AutoscalingGroupMixedInstancesPolicy:
        return AutoscalingGroupMixedInstancesPolicy(
            instances_distribution=AutoscalingGroupMixedInstancesPolicyInstancesDistribution(
                on_demand_base_capacity=0,
                on_demand_percentage_above_base_capacity=0,
                spot_allocation_strategy="price-capacity-optimized",
            ),
            launch_template=AutoscalingGroupMixedInstancesPolicyLaunchTemplate(
                launch_template_specification=AutoscalingGroupMixedInstancesPolicyLaunchTemplateLaunchTemplateSpecification(
                    launch_template_id=self.ref(self.launch_template).id,
                    version=Token.as_string(self.launch_template.latest_version),
                )
            ),
        )


def agent_statements(cluster_name: str, region: str, account_id: str, *, spot: bool) -> list[Statement]:
    """What the ECS container agent calls, instead of AmazonEC2ContainerServiceforEC2Role's `"Resource": "*"`."""
    cluster_arn = f"arn:aws:ecs:{region}:{account_id}:cluster/{cluster_name}"
    # Container instance ARNs carry the cluster name only in the long ARN format; the `ecs:cluster` condition
    # scopes them to this cluster in both formats.
    on_this_cluster = {"ArnEquals": {"ecs:cluster": cluster_arn}}
    instances = [f"arn:aws:ecs:{region}:{account_id}:container-instance/*"]
    statements = [
        Statement(
            "RegisterAndReport",
            [
                "ecs:DeregisterContainerInstance",
                "ecs:RegisterContainerInstance",
                "ecs:SubmitAttachmentStateChanges",
                "ecs:SubmitContainerStateChange",
                "ecs:SubmitTaskStateChange",
            ],
            [cluster_arn],
        ),
        Statement("Poll", ["ecs:Poll", "ecs:StartTelemetrySession"], instances, on_this_cluster),
        # "*": DiscoverPollEndpoint supports no resource-level permissions (Service Authorization Reference).
        Statement("DiscoverPollEndpoint", ["ecs:DiscoverPollEndpoint"], ["*"]),
    ]
    if spot:
        # ECS_ENABLE_SPOT_INSTANCE_DRAINING: the agent sets its own instance to DRAINING on an interruption notice.
        statements.append(Statement("SpotDraining", ["ecs:UpdateContainerInstancesState"], instances, on_this_cluster))
    return statements


def ecs_config(cluster_name: str, spot: bool) -> list[str]:
    """The lines appended to /etc/ecs/ecs.config."""
    lines = [f"ECS_CLUSTER={cluster_name}", "ECS_AWSVPC_BLOCK_IMDS=true"]
    if spot:
        lines.append("ECS_ENABLE_SPOT_INSTANCE_DRAINING=true")
    return lines


def _user_data(cluster_name: str, spot: bool) -> str:
    script = "#!/bin/bash\ncat <<'EOF' >> /etc/ecs/ecs.config\n" + "\n".join(ecs_config(cluster_name, spot)) + "\nEOF\n"
    # Terraform's base64encode, so a cluster name that is still a reference resolves before it is encoded.
    return Fn.base64encode(script)
