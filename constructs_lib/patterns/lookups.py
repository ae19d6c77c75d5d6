"""The props a workload names instead of giving (`kms_key_alias`; a `WebService` also `waf_web_acl_name`,
`existing_namespace` and `shared_alb.load_balancer`), looked up by data sources in the workload's own stack and put
where the values would have been: everything after reads `kms_key_arn`, `waf_web_acl_arn`, the namespace ARN and
`shared_alb`'s listener and security group as if the caller had given them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .._jsii.addressing import Part
from ..constructs.environment_lookups import (
    KmsKeyByAlias,
    LoadBalancerByName,
    NamespaceByName,
    WebAclByName,
)
from ..props.environment_names import EnvironmentNames
from .web_service_props import WebServiceProps


@dataclass(frozen=True)
class Lookups:
    props: Any  # with the looked-up ARNs and ids
    namespace_arn: str | None  # the Service Connect namespace's, when it was looked up
    shared_alb: LoadBalancerByName | None  # the environment's ALB named in shared_alb.load_balancer


def resolve_lookups(part: Part, props: Any) -> Lookups:
    update: dict[str, Any] = {}
    if props.kms_key_alias is not None:
        update["kms_key_arn"] = KmsKeyByAlias(part, "log-key", alias=props.kms_key_alias).arn
    namespace_arn = shared_alb = None
    if isinstance(props, WebServiceProps):
        if props.waf_web_acl_name is not None:
            update["waf_web_acl_arn"] = WebAclByName(part, "web-acl", name=props.waf_web_acl_name).arn
        connect = props.service_connect
        if props.existing_namespace and connect is not None and not connect.namespace.startswith("arn:"):
            namespace_arn = NamespaceByName(part, "namespace", name=connect.namespace).arn
        shared = props.shared_alb
        if shared is not None and shared.load_balancer is not None:
            names = EnvironmentNames(props.naming, props.account_id, props.region)
            shared_alb = LoadBalancerByName(
                part,
                "shared-alb",
                name=names.load_balancer(shared.load_balancer),
                security_group_name=names.load_balancer_security_groups(shared.load_balancer)[0],
                vpc_id=props.network.vpc_id,
            )
            update["shared_alb"] = shared.model_copy(
                update={"listener_arn": shared_alb.listener_arn, "security_group_id": shared_alb.security_group_id}
            )
    return Lookups((props.model_copy(update=update) if update else props), namespace_arn, shared_alb)
