"""Readable, stable Terraform addresses (`aws_lb.alb`, `aws_lb_listener.alb_https`) set from Python.

An address is the construct path below the stack (the service construct of a `ServiceStack` is the root and
adds nothing), `Default` left out, joined with `_`. Every construct of the library remembers its path in Python,
and every provider class it creates sets its logical id right after construction: one call into the jsii
kernel, where letting the stack allocate it would call back into Python and read the path from Node (four).
In a consumer's own stack (no path known) cdktf allocates its usual hashed ids.
"""

from __future__ import annotations

from typing import Any, TypeVar

from constructs import Construct

ADDRESS = "_ecs_cdktf_address"
RENDERS_HCL = "_ecs_cdktf_renders_hcl"  # whether the app writes HCL (see embedded_json.py)
ROOT_ID = "_ecs_cdktf_root_id"
DEFAULT_CHILD = "Default"

T = TypeVar("T")


def child_address(scope: Construct, id: str) -> list[str] | None:
    parent = getattr(scope, ADDRESS, None)
    if parent is None:
        return None
    if not parent and getattr(scope, ROOT_ID, None) == id:
        return []
    return parent if id == DEFAULT_CHILD else [*parent, id]


def logical_id(parts: list[str]) -> str:
    return "_".join(parts).replace("-", "_")


class Part(Construct):
    """A construct of the library: it knows its address, so its resources can name themselves."""

    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        setattr(self, ADDRESS, child_address(scope, id))
        inherited = getattr(scope, RENDERS_HCL, None)
        if inherited is not None:
            setattr(self, RENDERS_HCL, inherited)


# Attributes read to wire resources together. With the address known, a read is the reference Terraform itself
# would get (`${aws_lb.alb.arn}`), built in Python instead of asked of the jsii kernel. Only in JSON output:
# HCL output keeps cdktf's tokens, which its HCL writer needs to tell references from literal text.
REFERENCE_ATTRIBUTES = ("arn", "arn_suffix", "dns_name", "id", "name", "value", "zone_id")


def addressed(cls: type[T], terraform_type: str, *, data: bool) -> type[T]:
    """`cls` (a provider resource or data source) setting its logical id from its address on construction."""
    prefix = f"data.{terraform_type}" if data else terraform_type

    def __init__(self: Any, scope: Construct, id: str, **kwargs: Any) -> None:
        cls.__init__(self, scope, id, **kwargs)  # type: ignore[misc]
        address = child_address(scope, id)
        if address:
            self.override_logical_id(logical_id(address))
            if getattr(scope, RENDERS_HCL, True) is False:
                self.__dict__["_ecs_cdktf_reference"] = f"{prefix}.{logical_id(address)}"

    namespace: dict[str, Any] = {"__init__": __init__, "__module__": cls.__module__, "__doc__": cls.__doc__}
    for attribute in REFERENCE_ATTRIBUTES:
        inherited = getattr(cls, attribute, None)
        if isinstance(inherited, property):
            namespace[attribute] = _reference_property(attribute, inherited)
    return type(cls.__name__, (cls,), namespace)


def _reference_property(attribute: str, inherited: property) -> property:
    def read(self: Any) -> Any:
        reference = self.__dict__.get("_ecs_cdktf_reference")
        if reference is None:
            return inherited.fget(self)  # type: ignore[misc]
        return "${" + reference + "." + attribute + "}"

    return property(read, inherited.fset, doc=inherited.__doc__)
