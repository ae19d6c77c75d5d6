"""The error every config problem ends in, and how a field's location is written in it."""

from __future__ import annotations

import json
import re
from typing import Any

_PLAIN_KEY = re.compile(r"[A-Za-z0-9_$-]+")
NOT_FINITE = "is not a finite number; allowed: numbers Terraform and AWS can hold (no Infinity, NaN or beyond 1e308)"


class ConfigError(Exception):
    """Raised with every problem found, one line each: `FILE: path.to.field: what is wrong`."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def location(loc: tuple[Any, ...]) -> str:
    """`services[0].parameters.environment.NAME`; a key with spaces or line breaks is quoted, on one line."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif not _PLAIN_KEY.fullmatch(str(part)):
            text += f"[{json.dumps(str(part))}]"
        else:
            text += f".{part}" if text else str(part)
    return text
