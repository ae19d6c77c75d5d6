"""The props a workload names instead of giving (`kms_key_alias`; a `WebService` also `waf_web_acl_name` and
`existing_namespace`), looked up by data sources in the workload's own stack and put where the values would have
been: everything after reads `kms_key_arn`, `waf_web_acl_arn` and the namespace ARN as if the caller had given
them."""

from __future__ import annotations

from typing import Any

from .._jsii.addressing import Part
from ..constructs.environment_lookups import (
    KmsKeyByAlias,
    NamespaceByName,
    WebAclByName,
)
from .web_service_props import WebServiceProps


def resolve_lookups(part: Part, props: Any) -> tuple[Any, str | None]:
    """(props with the looked-up ARNs, the Service Connect namespace's ARN when it was looked up)."""
    update: dict[str, str] = {}
    if props.kms_key_alias is not None:
        update["kms_key_arn"] = KmsKeyByAlias(part, "log-key", alias=props.kms_key_alias).arn
    namespace_arn = None
    if isinstance(props, WebServiceProps):
        if props.waf_web_acl_name is not None:
            update["waf_web_acl_arn"] = WebAclByName(part, "web-acl", name=props.waf_web_acl_name).arn
        connect = props.service_connect
        if props.existing_namespace and connect is not None and not connect.namespace.startswith("arn:"):
            namespace_arn = NamespaceByName(part, "namespace", name=connect.namespace).arn
    return (props.model_copy(update=update) if update else props), namespace_arn
