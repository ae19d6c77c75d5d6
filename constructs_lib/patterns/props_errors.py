"""Props given in Python, checked with the rules and messages of env files, the construct path in front:
`orders/orders-api: auto_scale.max_capacity: ...` where an env file says `envs/prod.json: services[0].autoscaling...`."""

from __future__ import annotations

from typing import Any, TypeVar

from constructs import Construct
from pydantic import BaseModel, PrivateAttr, ValidationError

from ..config.loader import describe_errors

M = TypeVar("M", bound=BaseModel)


class PropsError(ValueError):
    """Every problem of one call, one per line, each naming the construct and the prop."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def validated(scope: Construct, model: type[M], data: dict[str, Any], prop: str) -> M:
    """`data` as a `model`, or a PropsError naming `scope`'s path and each field below `prop`."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise PropsError(
            [f"{scope.node.path}: {prop}.{message}" for _, message in describe_errors(error, model)]
        ) from None


def raise_problems(scope: Construct, problems: list[str]) -> None:
    """The problems a props object found when it was made (see `DeferredValidation`), now with the construct."""
    if problems:
        raise PropsError([f"{scope.node.path}: {problem}" for problem in problems])


class DeferredValidation(BaseModel):
    """A props model that reports its problems when a construct takes it, so each message can name the construct
    path (`orders/orders-api: cpu: ...`) as an env file's names the file. Made with bad values, it keeps them
    unvalidated and lists the problems in `problems`."""

    _problems: list[str] = PrivateAttr(default_factory=list)

    def __init__(self, **data: Any):
        try:
            super().__init__(**data)
            problems: list[str] = []
        except ValidationError as error:
            unchecked = type(self).model_construct(**data)
            for name in ("__dict__", "__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__"):
                object.__setattr__(self, name, getattr(unchecked, name))
            problems = [message for _, message in describe_errors(error, type(self))]
        self._problems = problems

    @property
    def problems(self) -> list[str]:
        return list(self._problems)
