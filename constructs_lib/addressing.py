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


def addressed(cls: type[T]) -> type[T]:
    """`cls` (a provider resource or data source) setting its logical id from its address on construction."""

    def __init__(self: Any, scope: Construct, id: str, **kwargs: Any) -> None:
        cls.__init__(self, scope, id, **kwargs)  # type: ignore[misc]
        address = child_address(scope, id)
        if address:
            self.override_logical_id(logical_id(address))

    return type(cls.__name__, (cls,), {"__init__": __init__, "__module__": cls.__module__, "__doc__": cls.__doc__})
