"""The one module that imports AWS provider classes, from the engine's prebuilt provider (engine.py):
`cdktf_cdktf_provider_aws` on cdktf, `cdktn_provider_aws` on CDK Terrain (same submodules, same classes).

Importing the provider package runs an `__init__` that imports ~1,500 resource submodules (about 12 s on a
small machine). Each submodule is self-contained (it imports only `.._jsii`, the engine and constructs), so we
register the package in `sys.modules` without running its `__init__` and import just the submodules `CLASSES`
names, then export their classes from here: `from .._jsii.aws import EcsService`.

If a consumer has already imported the package the usual way we use the real module; if they import it
afterwards, the import finds our stand-in, whose module `__getattr__` imports any submodule on first access, so
`aws.s3_bucket.S3Bucket` keeps working either way.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types

from . import engine

# The provider submodules the library uses, and the classes it takes from each (one name per Terraform type).
CLASSES: dict[str, tuple[str, ...]] = {
    "acm_certificate": ("AcmCertificate",),
    "acm_certificate_validation": ("AcmCertificateValidation",),
    "appautoscaling_policy": (
        "AppautoscalingPolicy",
        "AppautoscalingPolicyTargetTrackingScalingPolicyConfiguration",
        "AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification",
        "AppautoscalingPolicyStepScalingPolicyConfiguration",
        "AppautoscalingPolicyStepScalingPolicyConfigurationStepAdjustment",
        "AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecification",
        "AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationDimensions",
        "AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetrics",
        "AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetricsMetricStat",
        "AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetricsMetricStatMetric",
        "AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetricsMetricStatMetricDimensions",
    ),
    "appautoscaling_scheduled_action": (
        "AppautoscalingScheduledAction",
        "AppautoscalingScheduledActionScalableTargetAction",
    ),
    "appautoscaling_target": ("AppautoscalingTarget",),
    "autoscaling_group": (
        "AutoscalingGroup",
        "AutoscalingGroupLaunchTemplate",
        "AutoscalingGroupMixedInstancesPolicy",
        "AutoscalingGroupMixedInstancesPolicyInstancesDistribution",
        "AutoscalingGroupMixedInstancesPolicyLaunchTemplate",
        "AutoscalingGroupMixedInstancesPolicyLaunchTemplateLaunchTemplateSpecification",
        "AutoscalingGroupTag",
    ),
    "cloudwatch_log_group": ("CloudwatchLogGroup",),
    "cloudwatch_metric_alarm": ("CloudwatchMetricAlarm",),
    "codedeploy_app": ("CodedeployApp",),
    "codedeploy_deployment_group": (
        "CodedeployDeploymentGroup",
        "CodedeployDeploymentGroupAutoRollbackConfiguration",
        "CodedeployDeploymentGroupBlueGreenDeploymentConfig",
        "CodedeployDeploymentGroupBlueGreenDeploymentConfigDeploymentReadyOption",
        "CodedeployDeploymentGroupBlueGreenDeploymentConfigTerminateBlueInstancesOnDeploymentSuccess",
        "CodedeployDeploymentGroupDeploymentStyle",
        "CodedeployDeploymentGroupEcsService",
        "CodedeployDeploymentGroupLoadBalancerInfo",
        "CodedeployDeploymentGroupLoadBalancerInfoTargetGroupPairInfo",
        "CodedeployDeploymentGroupLoadBalancerInfoTargetGroupPairInfoProdTrafficRoute",
        "CodedeployDeploymentGroupLoadBalancerInfoTargetGroupPairInfoTargetGroup",
        "CodedeployDeploymentGroupLoadBalancerInfoTargetGroupPairInfoTestTrafficRoute",
    ),
    "data_aws_caller_identity": ("DataAwsCallerIdentity",),
    "data_aws_iam_policy_document": (
        "DataAwsIamPolicyDocument",
        "DataAwsIamPolicyDocumentStatement",
        "DataAwsIamPolicyDocumentStatementCondition",
        "DataAwsIamPolicyDocumentStatementPrincipals",
    ),
    "data_aws_kms_alias": ("DataAwsKmsAlias",),
    "data_aws_lb": ("DataAwsLb",),
    "data_aws_lb_listener": ("DataAwsLbListener",),
    "data_aws_security_group": ("DataAwsSecurityGroup",),
    "data_aws_service_discovery_http_namespace": ("DataAwsServiceDiscoveryHttpNamespace",),
    "data_aws_ssm_parameter": ("DataAwsSsmParameter",),
    "data_aws_wafv2_web_acl": ("DataAwsWafv2WebAcl",),
    "ecs_capacity_provider": (
        "EcsCapacityProvider",
        "EcsCapacityProviderAutoScalingGroupProvider",
        "EcsCapacityProviderAutoScalingGroupProviderManagedScaling",
    ),
    "ecs_cluster": (
        "EcsCluster",
        "EcsClusterConfiguration",
        "EcsClusterConfigurationExecuteCommandConfiguration",
        "EcsClusterConfigurationExecuteCommandConfigurationLogConfiguration",
        "EcsClusterConfigurationManagedStorageConfiguration",
        "EcsClusterSetting",
    ),
    "ecs_cluster_capacity_providers": (
        "EcsClusterCapacityProviders",
        "EcsClusterCapacityProvidersDefaultCapacityProviderStrategy",
    ),
    "ecs_service": (
        "EcsService",
        "EcsServiceAlarms",
        "EcsServiceCapacityProviderStrategy",
        "EcsServiceDeploymentCircuitBreaker",
        "EcsServiceDeploymentConfiguration",
        "EcsServiceDeploymentController",
        "EcsServiceLoadBalancer",
        "EcsServiceLoadBalancerAdvancedConfiguration",
        "EcsServiceNetworkConfiguration",
        "EcsServiceServiceRegistries",
        "EcsServiceServiceConnectConfiguration",
        "EcsServiceServiceConnectConfigurationService",
        "EcsServiceServiceConnectConfigurationServiceClientAlias",
        "EcsServiceServiceConnectConfigurationLogConfiguration",
        "EcsServiceServiceConnectConfigurationLogConfigurationSecretOption",
        "EcsServiceServiceConnectConfigurationServiceTimeout",
        "EcsServiceServiceConnectConfigurationServiceTls",
        "EcsServiceServiceConnectConfigurationServiceTlsIssuerCertAuthority",
        "EcsServiceVolumeConfiguration",
        "EcsServiceVolumeConfigurationManagedEbsVolume",
        "EcsServiceVolumeConfigurationManagedEbsVolumeTagSpecifications",
        "EcsServiceDeploymentConfigurationCanaryConfiguration",
        "EcsServiceDeploymentConfigurationLifecycleHook",
        "EcsServiceDeploymentConfigurationLinearConfiguration",
    ),
    "ecs_task_definition": (
        "EcsTaskDefinition",
        "EcsTaskDefinitionEphemeralStorage",
        "EcsTaskDefinitionRuntimePlatform",
        "EcsTaskDefinitionVolume",
        "EcsTaskDefinitionVolumeEfsVolumeConfiguration",
        "EcsTaskDefinitionVolumeEfsVolumeConfigurationAuthorizationConfig",
    ),
    "iam_instance_profile": ("IamInstanceProfile",),
    "iam_role": ("IamRole",),
    "iam_role_policy": ("IamRolePolicy",),
    "iam_role_policy_attachment": ("IamRolePolicyAttachment",),
    "kms_alias": ("KmsAlias",),
    "kms_key": ("KmsKey",),
    "launch_template": (
        "LaunchTemplate",
        "LaunchTemplateBlockDeviceMappings",
        "LaunchTemplateBlockDeviceMappingsEbs",
        "LaunchTemplateIamInstanceProfile",
        "LaunchTemplateMetadataOptions",
    ),
    "lb": (
        "Lb",
        "LbAccessLogs",
    ),
    "lb_listener": (
        "LbListener",
        "LbListenerDefaultAction",
        "LbListenerDefaultActionFixedResponse",
        "LbListenerDefaultActionRedirect",
    ),
    "lb_listener_certificate": ("LbListenerCertificate",),
    "lb_listener_rule": (
        "LbListenerRule",
        "LbListenerRuleAction",
        "LbListenerRuleCondition",
        "LbListenerRuleConditionHostHeader",
        "LbListenerRuleConditionPathPattern",
    ),
    "lb_target_group": (
        "LbTargetGroup",
        "LbTargetGroupHealthCheck",
        "LbTargetGroupStickiness",
    ),
    "provider": (
        "AwsProvider",
        "AwsProviderDefaultTags",
    ),
    "route53_record": (
        "Route53Record",
        "Route53RecordAlias",
    ),
    "s3_bucket": ("S3Bucket",),
    "s3_bucket_lifecycle_configuration": (
        "S3BucketLifecycleConfiguration",
        "S3BucketLifecycleConfigurationRule",
        "S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload",
        "S3BucketLifecycleConfigurationRuleFilter",
        "S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration",
        "S3BucketLifecycleConfigurationRuleExpiration",
    ),
    "s3_bucket_logging": ("S3BucketLoggingA",),
    "s3_bucket_notification": ("S3BucketNotification",),
    "s3_bucket_ownership_controls": (
        "S3BucketOwnershipControls",
        "S3BucketOwnershipControlsRule",
    ),
    "s3_bucket_policy": ("S3BucketPolicy",),
    "s3_bucket_public_access_block": ("S3BucketPublicAccessBlock",),
    "s3_bucket_server_side_encryption_configuration": (
        "S3BucketServerSideEncryptionConfigurationA",
        "S3BucketServerSideEncryptionConfigurationRuleA",
        "S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA",
    ),
    "s3_bucket_versioning": (
        "S3BucketVersioningA",
        "S3BucketVersioningVersioningConfiguration",
    ),
    "security_group": ("SecurityGroup",),
    "scheduler_schedule": (
        "SchedulerSchedule",
        "SchedulerScheduleFlexibleTimeWindow",
        "SchedulerScheduleTarget",
        "SchedulerScheduleTargetDeadLetterConfig",
        "SchedulerScheduleTargetEcsParameters",
        "SchedulerScheduleTargetEcsParametersCapacityProviderStrategy",
        "SchedulerScheduleTargetEcsParametersNetworkConfiguration",
        "SchedulerScheduleTargetRetryPolicy",
    ),
    "service_discovery_http_namespace": ("ServiceDiscoveryHttpNamespace",),
    "service_discovery_service": (
        "ServiceDiscoveryService",
        "ServiceDiscoveryServiceDnsConfig",
        "ServiceDiscoveryServiceDnsConfigDnsRecords",
        "ServiceDiscoveryServiceHealthCheckCustomConfig",
    ),
    "ssm_parameter": ("SsmParameter",),
    "vpc_security_group_egress_rule": ("VpcSecurityGroupEgressRule",),
    "vpc_security_group_ingress_rule": ("VpcSecurityGroupIngressRule",),
    "wafv2_web_acl": (
        "Wafv2WebAcl",
        "Wafv2WebAclDefaultAction",
        "Wafv2WebAclDefaultActionAllow",
        "Wafv2WebAclRule",
        "Wafv2WebAclRuleOverrideAction",
        "Wafv2WebAclRuleOverrideActionNone",
        "Wafv2WebAclRuleVisibilityConfig",
        "Wafv2WebAclVisibilityConfig",
    ),
    "wafv2_web_acl_association": ("Wafv2WebAclAssociation",),
    "wafv2_web_acl_logging_configuration": ("Wafv2WebAclLoggingConfiguration",),
}


def _lazy_package(package_name: str) -> types.ModuleType:
    """Return the provider package, registering an import-free stand-in when it is not loaded yet."""
    loaded = sys.modules.get(package_name)
    if loaded is not None:
        return loaded
    spec = importlib.util.find_spec(package_name)
    if spec is None or spec.submodule_search_locations is None:
        raise ImportError(f"{package_name} is not installed: {engine.selected().install}")
    package = importlib.util.module_from_spec(spec)
    package.__path__ = list(spec.submodule_search_locations)

    def __getattr__(name: str) -> types.ModuleType:
        if name.startswith("__"):
            raise AttributeError(name)
        try:
            return importlib.import_module(f"{package_name}.{name}")
        except ModuleNotFoundError as missing:
            raise AttributeError(f"module {package_name!r} has no attribute {name!r}") from missing

    package.__getattr__ = __getattr__  # type: ignore[method-assign]
    sys.modules[package_name] = package
    return package


def _export_all() -> None:
    """Import each submodule of `CLASSES` and export its classes, each resource and data source class setting its
    logical id from its address (see addressing.py)."""
    from .addressing import addressed

    provider = engine.selected().provider
    _lazy_package(provider)
    resource, data_source = engine.TerraformResource, engine.TerraformDataSource
    module = globals()
    for submodule, names in CLASSES.items():
        loaded = importlib.import_module(f"{provider}.{submodule}")
        for name in names:
            value = getattr(loaded, name)
            if issubclass(value, (resource, data_source)):
                data = issubclass(value, data_source)
                value = addressed(value, _terraform_type(submodule, data), data=data)
            module[name] = value


def _terraform_type(submodule: str, data: bool) -> str:
    """`lb_target_group` -> `aws_lb_target_group`; `data_aws_lb` -> `aws_lb` (the submodule names mirror the
    Terraform types, so no call into the jsii kernel is needed)."""
    return submodule.removeprefix("data_") if data else f"aws_{submodule}"


_export_all()
