"""Readable, stable Terraform addresses (`aws_lb.alb`, `aws_lb_listener.alb_https`) set from Python, and the
library's own wiring reads (`self.ref(resource).arn`) answered from them.

An address is the construct path below the stack (the service construct of a `ServiceStack` is the root and
adds nothing), `Default` left out, joined with `_`. Every construct of the library remembers its path in Python,
and every provider class it creates sets its logical id right after construction: one call into the jsii
kernel, where letting the stack allocate it would call back into Python and read the path from Node (four).
In a consumer's own stack the address starts at the library construct's path below that stack: a `WebService`
"orders-api" gives `aws_lb.orders_api_alb`, not cdktf's hashed ids, so consumers get the same contract.
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

from constructs import Construct

from . import fast
from .engine import TerraformStack
from .fast_void import unanswered

ADDRESS = "_ecs_cdktf_address"
RENDERS_HCL = "_ecs_cdktf_renders_hcl"  # whether the app writes HCL (see embedded_json.py)
ROOT_ID = "_ecs_cdktf_root_id"
STACK = "_ecs_cdktf_stack"  # the construct whose path the address starts from: the library stack
TERRAFORM_ADDRESS = "_ecs_cdktf_terraform_address"  # "aws_lb.alb" of a resource created with a known address
REFERENCE = "_ecs_cdktf_reference"  # (stack, "aws_lb.alb") of a resource created with a known address
DEFAULT_CHILD = "Default"

T = TypeVar("T")


def child_address(scope: Construct, id: str) -> list[str] | None:
    parent = getattr(scope, ADDRESS, None)
    if parent is None:
        return None
    if not parent and getattr(scope, ROOT_ID, None) == id:
        return []
    return parent if id == DEFAULT_CHILD else [*parent, id]


def _address_in_consumer_stack(part: Construct) -> list[str]:
    """The path below the stack of a library construct that a consumer placed in a stack of their own."""
    stack_depth = len(TerraformStack.of(part).node.scopes)
    return [scope.node.id for scope in part.node.scopes[stack_depth:] if scope.node.id != DEFAULT_CHILD]


def logical_id(parts: list[str]) -> str:
    return "_".join(parts).replace("-", "_")


class Part(Construct):
    """A construct of the library: it knows its address, so its resources can name themselves."""

    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        address = child_address(scope, id)
        setattr(self, ADDRESS, address if address is not None else _address_in_consumer_stack(self))
        setattr(self, STACK, getattr(scope, STACK, scope))
        inherited = getattr(scope, RENDERS_HCL, None)
        if inherited is not None:
            setattr(self, RENDERS_HCL, inherited)

    def ref(self, resource: T) -> T:
        """`resource` as the library's own wiring reads it: its `arn`, `id`, `name`, ... are the references
        Terraform itself gets (`${aws_lb.alb.arn}`), built in Python instead of asked of the jsii kernel.

        Only for a value passed straight into another resource of this construct's stack. A plain string is
        no cdktf token: in another stack it would stay a dangling reference where cdktf wires an output and a
        remote state. So everything a consumer can read (the resources, the constructs' attributes) is read the
        usual way, and this gives the resource itself back for another stack's resource, in HCL output (cdktf's
        HCL writer needs its tokens to tell references from literal text) or with `ECS_CDKTF_FAST=off`. What is
        wired this way is also what the receiving resource's `*_input` getter gives back (README: Using the
        constructs from another cdktf project)."""
        known = vars(resource).get(REFERENCE)
        if known is None or known[0] is not getattr(self, STACK) or not fast.enabled():
            return resource
        return cast(T, _References(resource, known[1]))


# The attributes wiring reads: plain strings in every provider class that has them.
REFERENCE_ATTRIBUTES = frozenset({"arn", "arn_suffix", "dns_name", "id", "name", "value", "zone_id"})


class _References:
    """What `Part.ref` gives: the reference attributes built in Python, any other read passed to the resource."""

    __slots__ = ("_resource", "_address")

    def __init__(self, resource: Any, address: str):
        self._resource, self._address = resource, address

    def __getattr__(self, attribute: str) -> Any:
        if attribute in REFERENCE_ATTRIBUTES:
            return "${" + self._address + "." + attribute + "}"
        return getattr(self._resource, attribute)


def addressed(cls: type[T], terraform_type: str, *, data: bool) -> type[T]:
    """`cls` (a provider resource or data source) setting its logical id from its address on construction.
    Its attributes stay cdktf's own: what a consumer reads is what plain cdktf gives (see `Part.ref`)."""
    prefix = f"data.{terraform_type}" if data else terraform_type

    def __init__(self: Any, scope: Construct, id: str, /, **kwargs: Any) -> None:  # WAF's `scope` is a keyword
        cast(Any, cls).__init__(self, scope, id, **kwargs)
        address = child_address(scope, id)
        if address:
            with unanswered():  # nothing can have read the id yet: the call cannot fail
                cls.override_logical_id(self, logical_id(address))  # type: ignore[attr-defined]
            self.__dict__[TERRAFORM_ADDRESS] = f"{prefix}.{logical_id(address)}"
            if getattr(scope, RENDERS_HCL, True) is False:
                self.__dict__[REFERENCE] = (getattr(scope, STACK, scope), self.__dict__[TERRAFORM_ADDRESS])

    def fixed_address(name: str) -> Any:
        def refuse_once_addressed(self: Any, *args: Any) -> Any:
            address = self.__dict__.get(TERRAFORM_ADDRESS)
            if address is None:  # a consumer's own stack: cdktf's ids, theirs to change
                return getattr(cls, name)(self, *args)
            raise AddressChangeError(
                f"{address}: {name} on a resource of the library: its address is a public contract that the "
                "library's wiring is built on; to move existing state to another address, write a `moved` block"
            )

        return refuse_once_addressed

    namespace: dict[str, Any] = {"__init__": __init__, "__module__": cls.__module__, "__doc__": cls.__doc__}
    for name in ("override_logical_id", "reset_override_logical_id"):
        namespace[name] = fixed_address(name)
    return type(cls.__name__, (cls,), namespace)


class AddressChangeError(RuntimeError):
    """An address of the library's resources changed after construction (a wiring mistake, see `addressed`)."""
