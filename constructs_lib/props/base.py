"""The base every config model shares, and cross-field rules that report alongside field errors.

Pydantic runs an `after` model validator only when every field is valid, so a type error in one field would
hide a broken combination in two others. Rules therefore read the raw input (skipping values of the wrong
type, which the field validation reports) and their problems are merged with the field errors: the user sees
every problem of a file in one run.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from annotated_types import Ge, GroupedMetadata, Le, MaxLen, MinLen
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, ValidationError, model_validator
from pydantic_core import ErrorDetails, InitErrorDetails, PydanticCustomError

RULE_ERROR_TYPE = "config_rule"

Problems = list[InitErrorDetails]


class StrictModel(BaseModel):
    """Strict types (no "512" for 512) and unknown keys rejected, so a typo is an error, not a silent default;
    no infinities or NaN, which Terraform JSON cannot hold."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)

    @classmethod
    def cross_field_rules(cls, data: dict[str, Any]) -> Problems:
        """Problems that involve several fields; override per model. `data` is the raw input, with nested models
        given in Python turned into the dicts an env file would hold."""
        return []

    def model_rules(self) -> Problems:
        """Problems of the whole valid model (e.g. the env's policy errors); override per model. Run only when
        every field and cross-field rule passed."""
        return []

    @model_validator(mode="wrap")
    @classmethod
    def _with_cross_field_rules(cls, data: Any, handler: Callable[[Any], Any]) -> Any:
        problems = cls.cross_field_rules(as_input(data)) if isinstance(data, dict) else []
        try:
            model = handler(data)
        except ValidationError as error:
            if not problems:
                raise
            raise ValidationError.from_exception_data(
                cls.__name__, [_as_details(item) for item in error.errors()] + problems
            ) from None
        problems = problems or (model.model_rules() if isinstance(model, StrictModel) and model is not data else [])
        if problems:
            raise ValidationError.from_exception_data(cls.__name__, problems)
        return model


def as_input(value: Any, depth: int = 6) -> Any:
    """`value` as an env file would hold it: models built in Python (`ServiceConfig(...)` inside
    `EnvConfig(services=[...])`) become dicts of the keys they were given, so the same rules see them. Models sit
    a few levels below a model's input (services[i].parameters.secrets.NAME); deeper values, which may nest
    thousands of levels in a broken file, are returned as they are."""
    if isinstance(value, BaseModel):
        return value.model_dump(by_alias=True, exclude_unset=True)
    if depth == 0:
        return value
    if isinstance(value, dict):
        return {key: as_input(item, depth - 1) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [as_input(item, depth - 1) for item in value]
    return value


def problem(loc: tuple[str | int, ...], message: str, given: Any = None) -> InitErrorDetails:
    return InitErrorDetails(
        type=PydanticCustomError(RULE_ERROR_TYPE, "{message}", {"message": message}), loc=loc, input=given
    )


def typed(data: dict[str, Any], key: str, kind: type | tuple[type, ...], default: Any = None) -> Any:
    """`data[key]` (or the default when absent) if it has the right type, else None: the rule then stays quiet
    and the field's own validation reports the bad value."""
    value = data.get(key, default)
    if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
        return None
    return value if isinstance(value, kind) else None


def _as_details(item: ErrorDetails) -> InitErrorDetails:
    """Re-raise an already reported error unchanged (type, message and context kept)."""
    context = {**item.get("ctx", {}), "reported_message": item["msg"]}
    return InitErrorDetails(
        type=PydanticCustomError(item["type"], "{reported_message}", context), loc=item["loc"], input=item.get("input")
    )


def rule_error(message: str) -> PydanticCustomError:
    return PydanticCustomError(RULE_ERROR_TYPE, "{message}", {"message": message})


@dataclass(frozen=True)
class Matching(GroupedMetadata):
    """A string matching `pattern`, whose errors say what is wrong and what is allowed, not a regular expression:
    `Annotated[str, Matching(...)]`. `wrong` completes "<value> ...", e.g. "is not an AWS account id"."""

    pattern: str
    wrong: str
    allowed: str

    def __iter__(self) -> Iterator[object]:
        compiled = re.compile(self.pattern)

        def check(value: Any) -> Any:
            if not isinstance(value, str):
                quoted = str(value) if isinstance(value, int) and not isinstance(value, bool) else None
                hint = f", e.g. {json.dumps(quoted)}" if quoted and compiled.fullmatch(quoted) else ""
                raise rule_error(f"{show(value)} is {json_type(value)}; allowed: {self.allowed}{hint}")
            if not compiled.fullmatch(value):
                raise rule_error(f"{show(value)} {self.wrong}; allowed: {self.allowed}")
            return value

        yield from StringConstraints(pattern=self.pattern)
        yield BeforeValidator(check)


# Names that become parts of AWS names and paths, with what each allows.
SSM_NAME_PART = Annotated[
    str,
    Matching(r"^[A-Za-z0-9_.-]{1,200}$", "is not usable in an SSM parameter name", "letters, digits, '_', '.', '-'"),
]
ECS_NAME = Annotated[
    str, Matching(r"^[A-Za-z0-9_-]{1,200}$", "is not a valid ECS name", "letters, digits, '_' and '-'")
]
ECR_REPOSITORY = Annotated[
    str,
    Matching(
        r"^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$",
        "is not an ECR repository name",
        "lowercase letters, digits and single '.', '_', '-' or '/' between them",
    ),
]
IMAGE_REFERENCE = Annotated[
    str,
    Matching(
        r"^[A-Za-z0-9][A-Za-z0-9._/:@-]*$",
        "is not an image reference",
        "e.g. nginx:1.27 or registry/repo:tag (no spaces)",
    ),
]
CERTIFICATE_ID = Annotated[
    str,
    Matching(
        r"^([A-Za-z0-9-]{1,128}|arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[A-Za-z0-9-]+)$",
        "is not an ACM certificate id or ARN",
        "an id like 0f1e2d3c-4b5a-... or arn:aws:acm:<region>:<account>:certificate/<id>",
    ),
]
SSM_PARAMETER_NAME = Annotated[
    str,
    Matching(
        r"^/?[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$",
        "is not an SSM parameter name",
        "letters, digits, '_', '.', '-' and '/'",
    ),
]


@dataclass(frozen=True)
class Bounded(GroupedMetadata):
    """An integer in [low, high] whose error names the range: `Annotated[int, Bounded(1, 65535, "a port number")]`."""

    low: int
    high: int
    noun: str

    def __iter__(self) -> Iterator[object]:
        def check(value: Any) -> Any:
            if isinstance(value, int) and not isinstance(value, bool) and not self.low <= value <= self.high:
                raise rule_error(f"{value} is not {self.noun}; allowed: {self.low}-{self.high}")
            return value

        yield Ge(self.low)
        yield Le(self.high)
        yield BeforeValidator(check)


@dataclass(frozen=True)
class BoundedText(GroupedMetadata):
    """A string of `low`-`high` characters whose error names the length allowed."""

    low: int
    high: int
    noun: str

    def __iter__(self) -> Iterator[object]:
        def check(value: Any) -> Any:
            if isinstance(value, str) and not self.low <= len(value) <= self.high:
                raise rule_error(
                    f"{show(value)} ({len(value)} characters) is not {self.noun}; allowed: {self.low}-{self.high} characters"
                )
            return value

        yield MinLen(self.low)
        yield MaxLen(self.high)
        yield BeforeValidator(check)


def show(value: Any) -> str:
    """A value as the user wrote it in JSON, shortened."""
    try:
        text = json.dumps(value)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


Port = Annotated[int, Bounded(1, 65535, "a port number")]
# A whole percentage of 1-100: the scaling targets and the alarm thresholds share it.
Percent = Annotated[int, Field(ge=1, le=100)]
