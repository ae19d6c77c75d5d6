"""Where each container secret comes from: the `valueFrom` ECS expects and the ARN IAM must allow."""

from __future__ import annotations

from dataclasses import dataclass

from ..config import ContainerSecretConfig
from ..props.naming import Naming


@dataclass(frozen=True)
class SecretSources:
    """The service's secrets resolved once, for the container definition and for the roles' grants."""

    value_from: dict[str, str]
    secret_arns: list[str]
    parameter_arns: list[str]


def resolve_secrets(
    secrets: dict[str, ContainerSecretConfig], naming: Naming, region: str, account_id: str
) -> SecretSources:
    value_from: dict[str, str] = {}
    secret_arns: list[str] = []
    parameter_arns: list[str] = []
    for variable, secret in sorted(secrets.items()):
        if secret.value_from == "SECRET":
            assert secret.arn is not None  # guaranteed by ContainerSecretConfig's rules
            value_from[variable] = f"{secret.arn}:{secret.suffix}::" if secret.suffix else secret.arn
            _append_once(secret_arns, secret.arn)
        else:
            arn = f"arn:aws:ssm:{region}:{account_id}:parameter{naming.secret_parameter(secret.name)}"
            value_from[variable] = arn
            _append_once(parameter_arns, arn)
    return SecretSources(value_from, secret_arns, parameter_arns)


def merge_sources(*sources: SecretSources) -> SecretSources:
    """Every ARN the task reads at start-up, across its containers, each once (for the execution role)."""
    merged = SecretSources({}, [], [])
    for source in sources:
        for arn in source.secret_arns:
            _append_once(merged.secret_arns, arn)
        for arn in source.parameter_arns:
            _append_once(merged.parameter_arns, arn)
    return merged


def option_sources(arns: list[str]) -> SecretSources:
    """Log driver secret options are given as ARNs: Secrets Manager secrets or SSM parameters."""
    return SecretSources(
        {},
        [arn for arn in dict.fromkeys(arns) if ":secretsmanager:" in arn],
        [arn for arn in dict.fromkeys(arns) if ":ssm:" in arn],
    )


def secret_arn_patterns(secret_arns: list[str]) -> list[str]:
    """Each ARN as given plus its `-??????` form: Secrets Manager appends six random characters to a secret's
    ARN, and a config may give the ARN with or without them (`secret:redis-config` may be either).

    `-??????` is the one wildcard of a secret grant, built here and matching those six characters only (AWS's
    advice for partial ARNs); the config rejects any `*` or `?` the user writes (config/arns.py)."""
    patterns: list[str] = []
    for arn in secret_arns:
        _append_once(patterns, arn)
        _append_once(patterns, f"{arn}-??????")
    return patterns


def _append_once(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)
