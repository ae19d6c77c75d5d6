"""`WebServiceProps`: everything a `WebService` is built from, as typed, validated values and constructs.

What a service is (`ServiceOptions`: container, task, service, load balancing, capabilities) is shared with env
files, field for field and rule for rule. Where it runs, its image and the existing resources it uses (cluster,
roles, security groups) are `WorkloadProps`, shared with workers and scheduled tasks; here is what a web service
adds: its domain and certificate, the names of what it creates, and its EC2 capacity (a shared ALB's listener is
`shared_alb`, shared with env files).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from ..props.arns import CERTIFICATE_ARN
from ..props.base import ECS_NAME, Problems, problem
from ..props.capacity import Ec2CapacityConfig
from ..props.environment_names import EnvironmentNames
from ..props.iam import ROLE_KEYS, own_account_problems
from ..props.network import Domain
from ..props.resource_names import ResourceNames, derive_names
from ..props.service import ServiceOptions, certificate_choice_rules
from ..props.service_settings import MAX_TASK_SECURITY_GROUPS
from .props_errors import DeferredValidation
from .workload_props import WorkloadProps

AlbName = Annotated[str, Field(pattern=r"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$")]
PrefixListId = Annotated[str, Field(pattern=r"^pl-[0-9a-f]{8,17}$")]


class WebServiceProps(ServiceOptions, WorkloadProps, DeferredValidation):
    """A web service behind an HTTPS load balancer; defaults are behaviour, as documented on each field."""

    domain: Domain = Field(description="The service's DNS name and its hosted zone.")
    certificate_arn: CERTIFICATE_ARN | None = Field(
        default=None,
        description="Existing ACM certificate of the HTTPS listener; or set create_certificate. On a shared_alb, "
        "optional: added to the shared listener for the service's host name (SNI). default: none",
    )
    cluster_name: ECS_NAME | None = Field(
        default=None,
        description="Name of the cluster the service creates ({prefix}-{cluster_name}). default: service_name",
    )
    alb_name: AlbName | None = Field(
        default=None,
        description="Name of the service's own ALB ({prefix}-{alb_name}, cut to 32). default: service_name",
    )
    cloudfront_prefix_list_id: PrefixListId | None = Field(
        default=None, description="Managed prefix list allowed to reach the ALB on 443 (CloudFront). default: none"
    )
    waf_web_acl_name: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,128}$")] | None = Field(
        default=None,
        description="Name of an existing regional WAF web ACL, looked up (a data source) and associated with the "
        "ALB as waf_web_acl_arn is; exclusive with waf_web_acl_arn. default: none",
    )
    existing_namespace: bool = Field(
        default=False,
        description="service_connect.namespace given as a name is an existing namespace, looked up by name (a data "
        "source), instead of one the service creates. default: false",
    )
    ec2_capacity: Ec2CapacityConfig | None = Field(
        default=None, description="EC2 capacity for an EC2 capacity_provider_strategy. default: none (Fargate)"
    )

    @classmethod
    def certificate_rules(cls, data: dict[str, Any]) -> Problems:
        missing = "missing: give an ACM certificate ARN (or set create_certificate: true)"
        return certificate_choice_rules(data, "certificate_arn", missing)

    def model_rules(self) -> Problems:
        problems = []
        uses_ec2 = any(i.capacity_provider == "EC2" for i in self.capacity_provider_strategy or [])
        if uses_ec2 and (self.cluster is not None or self.ec2_capacity is None):
            problems.append(
                problem(
                    ("ec2_capacity",),
                    "an EC2 capacity_provider_strategy needs ec2_capacity and the "
                    "cluster the service creates (cluster not given)",
                )
            )
        for name, arn in (("kms_key_alias", "kms_key_arn"), ("waf_web_acl_name", "waf_web_acl_arn")):
            if getattr(self, name) is not None and getattr(self, arn) is not None:
                problems.append(problem((name,), f"set either {name} or {arn}, not both"))
        if problems:
            return problems
        problems = own_account_problems(self.model_dump(include=set(ROLE_KEYS)), self.account_id)
        if problems:
            return problems
        groups = len(self.task_security_group_ids or [None]) + len(self.extra_security_group_ids)
        if groups > MAX_TASK_SECURITY_GROUPS:
            return [
                problem(
                    ("extra_security_group_ids",),
                    f"the tasks would join {groups} security groups with "
                    f"task_security_group_ids; allowed: at most {MAX_TASK_SECURITY_GROUPS}",
                )
            ]
        return []

    @property
    def names(self) -> ResourceNames:
        return derive_names(
            EnvironmentNames(self.naming, self.account_id, self.region),
            service_name=self.service_name,
            cluster_name=self.cluster_name or self.service_name,
            alb_name=self.alb_name or self.service_name,
            vpc_id=self.network.vpc_id,
            application_port=self.application_port,
            admin_port=self.admin_port,
            protocol_version=self.protocol_version,
            protocol=self.target_group_protocol,
        )
