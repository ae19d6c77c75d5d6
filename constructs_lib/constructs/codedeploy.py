"""Blue/green deployments through CodeDeploy (`deployment_ownership: codedeploy`): the application, its service
role and a deployment group that shifts the production listener from the blue target group to the green one
all at once, keeps the old tasks for the bake time, and rolls back when a deployment fails.

The ECS service itself uses the `CODE_DEPLOY` deployment controller and ignores `task_definition` and
`load_balancer` drift: after the first deployment CodeDeploy, not Terraform, decides which target group is live.
"""

from __future__ import annotations

from constructs import Construct

from .._jsii.addressing import Part
from .._jsii.aws import (
    CodedeployApp,
    CodedeployDeploymentGroup,
    CodedeployDeploymentGroupAutoRollbackConfiguration,
    CodedeployDeploymentGroupBlueGreenDeploymentConfig,
    CodedeployDeploymentGroupBlueGreenDeploymentConfigDeploymentReadyOption,
    CodedeployDeploymentGroupBlueGreenDeploymentConfigTerminateBlueInstancesOnDeploymentSuccess,
    CodedeployDeploymentGroupDeploymentStyle,
    CodedeployDeploymentGroupEcsService,
    CodedeployDeploymentGroupLoadBalancerInfo,
    CodedeployDeploymentGroupLoadBalancerInfoTargetGroupPairInfo,
    CodedeployDeploymentGroupLoadBalancerInfoTargetGroupPairInfoProdTrafficRoute,
    CodedeployDeploymentGroupLoadBalancerInfoTargetGroupPairInfoTargetGroup,
    CodedeployDeploymentGroupLoadBalancerInfoTargetGroupPairInfoTestTrafficRoute,
    IamRole,
    IamRolePolicyAttachment,
)
from ..props.limits import IAM_ROLE_NAME_MAX
from ..props.naming import fit
from .iam import service_role, source_account

CODEDEPLOY_NAME_MAX = 100  # application and deployment group names
DEPLOYMENT_CONFIG = "CodeDeployDefault.ECSAllAtOnce"
ECS_POLICY_ARN = "arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS"


class CodeDeployBlueGreen(Part):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name: str,
        cluster_name: str,
        service_name: str,
        prod_listener_arn: str,
        test_listener_arn: str,
        blue_target_group_name: str,
        green_target_group_name: str,
        bake_time_minutes: int,
        account_id: str,
        region: str,
        permissions_boundary_arn: str | None = None,
    ):
        super().__init__(scope, id)
        application_name = fit(name, CODEDEPLOY_NAME_MAX)
        self.application = CodedeployApp(self, "Default", name=application_name, compute_platform="ECS")
        self.application_name = application_name
        self.role = self._add_role(name, application_name, account_id, region, permissions_boundary_arn or None)
        policy = IamRolePolicyAttachment(self, "role-policy", role=self.ref(self.role).name, policy_arn=ECS_POLICY_ARN)
        self.deployment_group = CodedeployDeploymentGroup(
            self,
            "deployment-group",
            app_name=self.ref(self.application).name,
            deployment_group_name=application_name,
            service_role_arn=self.ref(self.role).arn,
            deployment_config_name=DEPLOYMENT_CONFIG,
            deployment_style=CodedeployDeploymentGroupDeploymentStyle(
                deployment_type="BLUE_GREEN", deployment_option="WITH_TRAFFIC_CONTROL"
            ),
            blue_green_deployment_config=_blue_green_config(bake_time_minutes),
            auto_rollback_configuration=CodedeployDeploymentGroupAutoRollbackConfiguration(
                enabled=True, events=["DEPLOYMENT_FAILURE"]
            ),
            ecs_service=CodedeployDeploymentGroupEcsService(cluster_name=cluster_name, service_name=service_name),
            load_balancer_info=_load_balancer_info(
                prod_listener_arn, test_listener_arn, blue_target_group_name, green_target_group_name
            ),
            # CodeDeploy checks the role's permissions when the group is created.
            depends_on=[policy],
        )
        self.deployment_group_name = application_name

    def _add_role(
        self, name: str, application_name: str, account_id: str, region: str, boundary_arn: str | None
    ) -> IamRole:
        """The service role CodeDeploy assumes, for this application's deployment groups only (confused-deputy
        protection, as the CodeDeploy user guide recommends for ECS deployments)."""
        group_arns = f"arn:aws:codedeploy:{region}:{account_id}:deploymentgroup:{application_name}/*"
        return service_role(
            self,
            "role",
            name=fit(f"{name}-codedeploy", IAM_ROLE_NAME_MAX),
            description=f"CodeDeploy shifts {name} traffic between its blue and green target groups",
            principal="codedeploy.amazonaws.com",
            conditions={**source_account(account_id), "ArnLike": {"aws:SourceArn": group_arns}},
            permissions_boundary_arn=boundary_arn,
        )


def _blue_green_config(bake_time_minutes: int) -> CodedeployDeploymentGroupBlueGreenDeploymentConfig:
    """Shift as soon as the green tasks are ready; keep the blue ones for the bake time, then terminate them."""
    return CodedeployDeploymentGroupBlueGreenDeploymentConfig(
        deployment_ready_option=CodedeployDeploymentGroupBlueGreenDeploymentConfigDeploymentReadyOption(
            action_on_timeout="CONTINUE_DEPLOYMENT"
        ),
        terminate_blue_instances_on_deployment_success=(
            CodedeployDeploymentGroupBlueGreenDeploymentConfigTerminateBlueInstancesOnDeploymentSuccess(
                action="TERMINATE", termination_wait_time_in_minutes=bake_time_minutes
            )
        ),
    )


def _load_balancer_info(
    prod_listener_arn: str, test_listener_arn: str, blue_target_group_name: str, green_target_group_name: str
) -> CodedeployDeploymentGroupLoadBalancerInfo:
    """The production and test listeners CodeDeploy moves between the blue and green target groups."""
    return CodedeployDeploymentGroupLoadBalancerInfo(
        target_group_pair_info=CodedeployDeploymentGroupLoadBalancerInfoTargetGroupPairInfo(
            prod_traffic_route=CodedeployDeploymentGroupLoadBalancerInfoTargetGroupPairInfoProdTrafficRoute(
                listener_arns=[prod_listener_arn]
            ),
            test_traffic_route=CodedeployDeploymentGroupLoadBalancerInfoTargetGroupPairInfoTestTrafficRoute(
                listener_arns=[test_listener_arn]
            ),
            target_group=[
                CodedeployDeploymentGroupLoadBalancerInfoTargetGroupPairInfoTargetGroup(name=blue_target_group_name),
                CodedeployDeploymentGroupLoadBalancerInfoTargetGroupPairInfoTargetGroup(name=green_target_group_name),
            ],
        )
    )
