"""`WebServiceProps`: everything a `WebService` is built from, as typed, validated values and constructs.

What a service is (`ServiceOptions`: container, task, service, load balancing, capabilities) is shared with env
files, field for field and rule for rule. Here is what a Python caller gives as values instead of by convention:
where it runs, the image, the domain and certificate, and the existing resources it uses instead of creating
them (cluster, roles, security groups; a shared ALB's listener is `shared_alb`, shared with env files).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import ConfigDict, Field

from ..constructs.cluster import ClusterReference, FargateCluster
from ..props.arns import CERTIFICATE_ARN, KMS_KEY_ARN, SECURITY_GROUP_ID
from ..props.base import ECS_NAME, IMAGE_REFERENCE, Problems, problem, typed
from ..props.capabilities import Ec2CapacityConfig
from ..props.iam import ROLE_KEYS, own_account_problems
from ..props.limits import NAME_PART_PATTERN
from ..props.naming import Naming
from ..props.network import AccountId, Domain, NetworkConfig, Region
from ..props.network_load_balancer import unserved_certificate_rules
from ..props.resource_names import ResourceNames, derive_names
from ..props.service import ServiceOptions
from ..props.service_settings import MAX_TASK_SECURITY_GROUPS
from .props_errors import DeferredValidation

NamePart = Annotated[str, Field(pattern=NAME_PART_PATTERN, max_length=20)]
AlbName = Annotated[str, Field(pattern=r"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$")]
KmsAlias = Annotated[str, Field(pattern=r"^alias/[A-Za-z0-9/_-]{1,250}$")]
PrefixListId = Annotated[str, Field(pattern=r"^pl-[0-9a-f]{8,17}$")]


class WebServiceProps(ServiceOptions, DeferredValidation):
    """A web service behind an HTTPS load balancer; defaults are behaviour, as documented on each field."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    organization: NamePart = Field(description="First part of every name: {organization}-{environment}-{name}.")
    environment: NamePart = Field(description="Second part of every name (dev, prod, ...).")
    region: Region = Field(description="AWS region the service runs in.")
    account_id: AccountId = Field(description="12-digit AWS account id the service runs in.")
    network: NetworkConfig = Field(description="The existing VPC and its subnets.")
    image: IMAGE_REFERENCE = Field(
        description="The app container's image; an ECR image lets the execution role pull exactly that repository."
    )
    domain: Domain = Field(description="The service's DNS name and its hosted zone.")
    certificate_arn: CERTIFICATE_ARN | None = Field(
        default=None, description="Existing ACM certificate of the HTTPS listener; or set create_certificate. default: none"
    )
    cluster: FargateCluster | ClusterReference | None = Field(
        default=None,
        description="An existing cluster (a FargateCluster of your stack, or ClusterReference.from_name/from_arn). "
        "default: the service creates its own, named cluster_name",
    )
    cluster_name: ECS_NAME | None = Field(
        default=None, description="Name of the cluster the service creates ({prefix}-{cluster_name}). default: service_name"
    )
    alb_name: AlbName | None = Field(
        default=None, description="Name of the service's own ALB ({prefix}-{alb_name}, cut to 32). default: service_name"
    )
    cloudfront_prefix_list_id: PrefixListId | None = Field(
        default=None, description="Managed prefix list allowed to reach the ALB on 443 (CloudFront). default: none"
    )
    kms_key_arn: KMS_KEY_ARN | None = Field(
        default=None, description="Customer managed key for the log group and ECS Exec sessions. default: AWS-owned keys"
    )
    kms_key_alias: KmsAlias | None = Field(
        default=None,
        description="Alias of an existing customer key, looked up by name (a data source) and used as kms_key_arn "
        "is; exclusive with kms_key_arn. default: none",
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
    grant_existing_roles: bool = Field(
        default=True,
        description="Add the grants the service needs to execution_role_arn and task_role_arn as inline policies; "
        "false: the roles' owner grants them (an env file's roles: `prerequisites` lists them). default: true",
    )
    task_security_group_ids: list[SECURITY_GROUP_ID] | None = Field(
        default=None,
        description="Existing security groups of the tasks (allow_from adds rules to the first). default: a group of "
        "its own, reachable from its ALB only",
    )

    @classmethod
    def certificate_rules(cls, data: dict[str, Any]) -> Problems:
        unserved = unserved_certificate_rules(data, "certificate_arn")
        if unserved is not None:
            return unserved
        create_certificate = typed(data, "create_certificate", bool, False)
        if data.get("certificate_arn") is None and create_certificate is False:
            return [problem(("certificate_arn",), "missing: give an ACM certificate ARN (or set create_certificate: true)")]
        if data.get("certificate_arn") is not None and create_certificate:
            return [problem(("create_certificate",), "true with certificate_arn set; use one or the other")]
        return []

    def model_rules(self) -> Problems:
        problems = []
        uses_ec2 = any(i.capacity_provider == "EC2" for i in self.capacity_provider_strategy or [])
        if uses_ec2 and (self.cluster is not None or self.ec2_capacity is None):
            problems.append(problem(("ec2_capacity",), "an EC2 capacity_provider_strategy needs ec2_capacity and the "
                                    "cluster the service creates (cluster not given)"))
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
            return [problem(("extra_security_group_ids",), f"the tasks would join {groups} security groups with "
                            f"task_security_group_ids; allowed: at most {MAX_TASK_SECURITY_GROUPS}")]
        return []

    @property
    def naming(self) -> Naming:
        return Naming(self.organization, self.environment)

    @property
    def names(self) -> ResourceNames:
        return derive_names(
            self.naming, service_name=self.service_name, cluster_name=self.cluster_name or self.service_name,
            alb_name=self.alb_name or self.service_name, vpc_id=self.network.vpc_id,
            application_port=self.application_port, admin_port=self.admin_port, protocol_version=self.protocol_version,
            protocol=self.target_group_protocol,
        )
