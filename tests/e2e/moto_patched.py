"""Run ``moto_server`` with a few test-only shims that close moto gaps our stacks hit.

Usage (what the e2e fixture runs):
``python tests/e2e/moto_patched.py -H 127.0.0.1 -p PORT -c server.crt -k server.key`` (HTTPS).
Arguments are those of ``moto_server``. Every shim makes moto behave more like AWS; none of them
relaxes a check. Each is listed in tests/e2e/README.md ("moto gaps").
"""

from __future__ import annotations

import inspect
import sys
import threading
from collections.abc import Callable
from typing import Any


def _patch_ecs_create_service() -> None:
    """moto 5.2 drops these CreateService fields; AWS stores them and DescribeServices returns them.

    Without them Terraform sees `capacity_provider_strategy` (ForceNew) and
    `health_check_grace_period_seconds` missing after apply and plans a replacement forever.
    """
    from moto.ecs.responses import EC2ContainerServiceResponse

    original = EC2ContainerServiceResponse.create_service
    fields = {
        "capacityProviderStrategy": "capacity_provider_strategy",
        "healthCheckGracePeriodSeconds": "health_check_grace_period_seconds",
        "deploymentConfiguration": "deployment_configuration",
        "availabilityZoneRebalancing": "availability_zone_rebalancing",
        "enableECSManagedTags": "enable_ecs_managed_tags",
        "enableExecuteCommand": "enable_execute_command",
        "placementConstraints": "placement_constraints",
        "placementStrategy": "placement_strategy",
    }

    def create_service(self: Any) -> Any:
        strategy = self._get_param("capacityProviderStrategy")
        result = original(self)
        service = self.ecs_backend._get_service(
            self._get_param("cluster", "default"), self._get_param("serviceName")
        )
        for param, attr in fields.items():
            value = self._get_param(param)
            if value is not None:
                setattr(service, attr, value)
        if strategy and not self._get_param("launchType"):
            # AWS: a service on capacity providers has no launchType (moto defaults it to EC2).
            service.launch_type = None
            for deployment in service.deployments:
                deployment["launchType"] = None
                deployment["capacityProviderStrategy"] = strategy
        return result

    EC2ContainerServiceResponse.create_service = create_service


def _patch_ecs_task_definition_defaults() -> None:
    """AWS fills in defaults when it registers a task definition; moto fills only some of them.

    In awsvpc mode AWS returns every port mapping with `hostPort` equal to `containerPort` and
    `protocol: "tcp"`, and every container with `systemControls: []`. Returning them makes the
    "re-plan shows no changes" check meet what the provider really reads back from AWS.
    """
    from moto.ecs.models import TaskDefinition

    original = TaskDefinition.__init__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        for container in self.container_definitions:
            container.setdefault("systemControls", [])
            for mapping in container.get("portMappings") or []:
                mapping.setdefault("protocol", "tcp")
                if self.network_mode == "awsvpc":
                    mapping.setdefault("hostPort", mapping.get("containerPort"))

    TaskDefinition.__init__ = __init__


def _patch_ecs_service_created_at() -> None:
    """AWS's DescribeServices returns when the service was created (`createdAt`); moto 5.2 stores no such time. The
    upgrade e2e compares it before and after the upgrade: a recreated service has a new one."""
    from moto.core.utils import utcnow
    from moto.ecs.models import Service

    original = Service.__init__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        self.created_at = utcnow()

    Service.__init__ = __init__


def _patch_logs_kms_key() -> None:
    """moto 5.2 implements neither AssociateKmsKey nor DisassociateKmsKey; AWS does, and the provider calls them to
    change an existing log group's `kms_key_id` (retrying moto's 500 until it gives up). The upgrade e2e needs them:
    the service log groups of the earlier release start using the environment's key in place."""
    from moto.logs.exceptions import ResourceNotFoundException
    from moto.logs.responses import LogsResponse

    def set_key(self: Any, key: str | None) -> str:
        group = self.logs_backend.groups.get(self._get_param("logGroupName"))
        if group is None:
            raise ResourceNotFoundException()
        group.kms_key_id = key
        return ""

    LogsResponse.associate_kms_key = lambda self: set_key(self, self._get_param("kmsKeyId"))
    LogsResponse.disassociate_kms_key = lambda self: set_key(self, None)


def _patch_route53_zone_ids() -> None:
    """AWS hosted zone ids start with "Z" (Z1D633PJN98FT9); moto's are 22 random characters, which the
    product's env-file validation rightly rejects."""
    from moto.route53.models import HostedZoneIdentifier

    original = HostedZoneIdentifier.generate

    def generate(self: Any, *args: Any, **kwargs: Any) -> str:
        zone_id = original(self, *args, **kwargs)
        return zone_id if zone_id.startswith("Z") else "Z" + zone_id[1:]

    HostedZoneIdentifier.generate = generate


def _patch_elbv2_default_scheme() -> None:
    """CreateLoadBalancer without `Scheme` makes an internet-facing ALB in AWS; moto 5.2 stores no scheme
    (it passes the missing parameter on as None), and the provider sends `Scheme` only for internal ALBs."""
    from moto.elbv2.models import FakeLoadBalancer

    original = FakeLoadBalancer.__init__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        if self.scheme is None:
            self.scheme = "internet-facing"

    FakeLoadBalancer.__init__ = __init__


def _patch_ec2_rule_descriptions() -> None:
    """DescribeSecurityGroupRules: AWS returns the description of every rule; moto 5.2 only that of CIDR
    rules, so a rule from a prefix list or a security group (`aws_vpc_security_group_ingress_rule` with
    `prefix_list_id` / `referenced_security_group_id`) shows `+ description` in every plan."""
    from moto.ec2.models.security_groups import SecurityGroupRule

    original = SecurityGroupRule.__init__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        prefix_list = kwargs.get("prefix_list_id") or (args[7] if len(args) > 7 else None)
        self._e2e_description = (
            self.ip_range.get("Description")
            or (self.source_group or {}).get("Description")
            or (prefix_list or {}).get("Description")
        )

    SecurityGroupRule.__init__ = __init__
    SecurityGroupRule.description = property(lambda self: getattr(self, "_e2e_description", None))


_REQUEST = threading.local()


def _patch_s3_policy_conditions() -> None:
    """moto 5.2 evaluates a bucket policy on object requests but ignores its conditions: a statement whose
    condition it cannot evaluate applies unconditionally, and one whose condition fails counts as a Deny.
    The product's TLS-only statement (`Deny s3:*` when `aws:SecureTransport` is false) would then deny
    every request. AWS semantics, for the one key the stacks use:

    - `aws:SecureTransport` is "true" when the request came over TLS (the e2e runs moto on HTTPS);
    - the `Bool` operator compares it case-insensitively;
    - a statement whose condition does not hold does not apply (neutral), whatever its effect.
    """
    from moto.iam import access_control, policy_conditions
    from moto.s3.models import FakeBucket
    from moto.s3.responses import S3Response

    neutral = access_control.PermissionResult.NEUTRAL

    def bool_equals(expected: Any, actual: str) -> bool:
        values = expected if isinstance(expected, list) else [expected]
        return str(actual).lower() in [str(value).lower() for value in values]

    policy_conditions.CONDITION_OPERATIONS.setdefault("Bool", bool_equals)

    original_statement = access_control.IAMPolicyStatement.is_action_permitted

    def is_action_permitted(self: Any, action: str, resource: str = "*", principal: str | None = None,
                            incoming_condition_values: dict[str, str] | None = None) -> Any:
        if (incoming_condition_values is not None and self._statement.get("Condition")
                and not self._check_conditions(incoming_condition_values)):
            return neutral
        return original_statement(self, action, resource, principal, incoming_condition_values)

    access_control.IAMPolicyStatement.is_action_permitted = is_action_permitted

    def get_permission(self: Any, action: str, resource: str) -> Any:
        if self.policy is None:
            return neutral
        context = {"aws:SecureTransport": getattr(_REQUEST, "secure_transport", "false")}
        return access_control.IAMPolicy(self.policy.decode()).is_action_permitted(
            action, resource, incoming_condition_values=context
        )

    FakeBucket.get_permission = get_permission

    original_key_response = S3Response._key_response

    def _key_response(self: Any, request: Any, full_url: str) -> Any:
        _REQUEST.secure_transport = "true" if full_url.lower().startswith("https://") else "false"
        return original_key_response(self, request, full_url)

    S3Response._key_response = _key_response


def _patch_s3_eventbridge_notification() -> None:
    """GetBucketNotificationConfiguration: moto 5.2 stores an `EventBridgeConfiguration` but never returns
    it, so `aws_s3_bucket_notification { eventbridge = true }` shows `false -> true` in every plan."""
    from moto.core.responses import ActionResult
    from moto.s3.responses import S3Response

    original = S3Response.get_bucket_notification

    def get_bucket_notification(self: Any) -> Any:
        configuration = self.backend.get_bucket_notification_configuration(self.bucket_name)
        if configuration is None or configuration.event_bridge is None:
            return original(self)
        serialized = self.serialized

        def with_eventbridge(result: Any) -> Any:
            if isinstance(result, ActionResult) and isinstance(getattr(result, "result", None), dict):
                result.result["EventBridgeConfiguration"] = {}
            return serialized(result)

        self.serialized = with_eventbridge
        try:
            return original(self)
        finally:
            del self.serialized

    S3Response.get_bucket_notification = get_bucket_notification


def _patch_application_autoscaling_tags() -> None:
    """moto 5.2 implements neither ListTagsForResource, TagResource nor UntagResource for Application Auto
    Scaling, and drops RegisterScalableTarget's `Tags`; AWS stores and returns them. The provider reads a scalable
    target's tags after creating it (the provider's default tags) and retries moto's 500 until it gives up."""
    import json

    from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse

    tags: dict[str, dict[str, str]] = {}
    original = ApplicationAutoScalingResponse.register_scalable_target

    def register_scalable_target(self: Any) -> str:
        result = original(self)
        tags.setdefault(json.loads(result)["ScalableTargetARN"], {}).update(self._get_param("Tags") or {})
        return result

    def list_tags_for_resource(self: Any) -> str:
        return json.dumps({"Tags": tags.get(self._get_param("ResourceARN"), {})})

    def tag_resource(self: Any) -> str:
        tags.setdefault(self._get_param("ResourceARN"), {}).update(self._get_param("Tags") or {})
        return "{}"

    def untag_resource(self: Any) -> str:
        for key in self._get_param("TagKeys") or []:
            tags.get(self._get_param("ResourceARN"), {}).pop(key, None)
        return "{}"

    ApplicationAutoScalingResponse.register_scalable_target = register_scalable_target
    ApplicationAutoScalingResponse.list_tags_for_resource = list_tags_for_resource
    ApplicationAutoScalingResponse.tag_resource = tag_resource
    ApplicationAutoScalingResponse.untag_resource = untag_resource


# moto's own convention for choosing a resource's id (moto.utilities.id_generator.TAG_KEY_CUSTOM_ID).
CUSTOM_ID_TAG = "_custom_id_"
_CUSTOM_ID = threading.local()


def _custom_id_in(tags: Any) -> str | None:
    """The `_custom_id_` tag's value in moto's shapes: [{"Key", "Value"}] or {"subnet": {key: value}}."""
    if isinstance(tags, dict):
        return next((group.get(CUSTOM_ID_TAG) for group in tags.values() if isinstance(group, dict)), None)
    return next((tag.get("Value") for tag in tags or [] if tag.get("Key") == CUSTOM_ID_TAG), None)


def _honour_custom_id(owner: Any, method: str, id_owner: Any, generator: str,
                      custom_id_of: Callable[[dict[str, Any]], str | None],
                      with_id: Callable[[str, str], str] = lambda generated, custom: custom) -> None:
    """While `owner.method` runs with a custom id in its arguments, `id_owner.generator` returns that id
    (`with_id(generated, custom)`: for a generator of ARNs, the generated ARN ending in the custom id)."""
    generate, original = getattr(id_owner, generator), getattr(owner, method)

    def generated(*args: Any, **kwargs: Any) -> Any:
        custom = getattr(_CUSTOM_ID, "value", None)
        return with_id(generate(*args, **kwargs), custom) if custom else generate(*args, **kwargs)

    def with_custom_id(self: Any, *args: Any, **kwargs: Any) -> Any:
        _CUSTOM_ID.value = custom_id_of(inspect.signature(original).bind(self, *args, **kwargs).arguments)
        try:
            return original(self, *args, **kwargs)
        finally:
            _CUSTOM_ID.value = None

    setattr(id_owner, generator, generated)
    setattr(owner, method, with_custom_id)


def _patch_custom_ids() -> None:
    """Not a gap but a seeding aid for `make try`, which applies envs/dev.json as written: its VPC, subnets,
    hosted zone, certificate and WAF web ACL ids must exist. moto honours a `_custom_id_` tag for a few resources
    (secrets); this extends it to VPCs, subnets, imported certificates and web ACLs, and to hosted zones through
    the caller reference `_custom_id_:<id>` (CreateHostedZone takes no tags)."""
    from moto.acm import models as acm
    from moto.ec2.models import subnets, vpcs
    from moto.route53.models import HostedZoneIdentifier, Route53Backend
    from moto.wafv2.models import WAFV2Backend

    def from_tags(arguments: dict[str, Any]) -> str | None:
        return _custom_id_in(arguments.get("tags"))

    def from_caller_reference(arguments: dict[str, Any]) -> str | None:
        reference = arguments.get("caller_reference") or ""
        return reference.split(":", 1)[1] if reference.startswith(f"{CUSTOM_ID_TAG}:") else None

    _honour_custom_id(vpcs.VPCBackend, "create_vpc", vpcs, "random_vpc_id", from_tags)
    _honour_custom_id(subnets.SubnetBackend, "create_subnet", subnets, "random_subnet_id", from_tags)
    _honour_custom_id(acm.AWSCertificateManagerBackend, "import_certificate", acm, "make_arn_for_certificate",
                      from_tags, lambda arn, custom: f"{arn.rsplit('/', 1)[0]}/{custom}")
    _honour_custom_id(WAFV2Backend, "create_web_acl", WAFV2Backend, "_generate_id", from_tags)
    _honour_custom_id(Route53Backend, "create_hosted_zone", HostedZoneIdentifier, "generate", from_caller_reference)


def apply_patches() -> None:
    _patch_application_autoscaling_tags()
    _patch_s3_eventbridge_notification()
    _patch_s3_policy_conditions()
    _patch_ec2_rule_descriptions()
    _patch_elbv2_default_scheme()
    _patch_ecs_create_service()
    _patch_ecs_task_definition_defaults()
    _patch_ecs_service_created_at()
    _patch_logs_kms_key()
    _patch_route53_zone_ids()
    _patch_custom_ids()


def main(argv: list[str] | None = None) -> None:
    apply_patches()
    from moto.server import main as moto_main

    moto_main(argv if argv is not None else sys.argv[1:])


if __name__ == "__main__":
    main()
