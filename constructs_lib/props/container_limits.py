"""What the kernel allows the app container's processes: ulimits, and an init process that reaps zombies. Kept
apart from containers.py, which holds how the process is started, because these map to ECS's `ulimits` and
`linuxParameters` rather than to the command line."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .base import StrictModel


class UlimitConfig(StrictModel):
    name: Literal[
        "core",
        "cpu",
        "data",
        "fsize",
        "locks",
        "memlock",
        "msgqueue",
        "nice",
        "nofile",
        "nproc",
        "rss",
        "rtprio",
        "rttime",
        "sigpending",
        "stack",
    ]
    soft_limit: Annotated[int, Field(ge=0)]
    hard_limit: Annotated[int, Field(ge=0)]


class LinuxParametersConfig(StrictModel):
    init_process_enabled: bool = Field(default=False, description="Run an init process (reaps zombies). default: false")
