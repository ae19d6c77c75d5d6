"""Advice that does not stop a synth: a valid config that is probably not what the user wants."""

from __future__ import annotations

import re

from .env import EnvConfig

CREDENTIAL_NAME = re.compile(r"PASSWORD|PASSWD|SECRET|TOKEN|_KEY$|^KEY$|CREDENTIAL", re.IGNORECASE)


def config_warnings(env: EnvConfig) -> list[str]:
    """`path: message` lines; the CLI prefixes the file."""
    warnings = []
    for index, service in enumerate(env.services):
        for name in service.parameters.environment:
            if CREDENTIAL_NAME.search(name):
                warnings.append(
                    f"services[{index}].parameters.environment.{name}: warning: the name looks like a credential, and "
                    f"environment values are stored in plain text in the task definition and the Terraform state; "
                    f"move it to parameters.secrets (SECRET or PARAM)"
                )
    return warnings
