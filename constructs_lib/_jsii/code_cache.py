"""The jsii kernel's V8 code cache (data/kernel_code_cache.js, preloaded into Node by fast_kernel.py): where it
lives and the environment that turns it on. On by default, in `$XDG_CACHE_HOME/ecs-cdktf` (`~/.cache/ecs-cdktf`);
`ECS_CDKTF_CODE_CACHE=off` turns it off, `ECS_CDKTF_CODE_CACHE=/some/dir` moves it."""

from __future__ import annotations

import os
from pathlib import Path

from . import fast

CODE_CACHE_SETTING = "ECS_CDKTF_CODE_CACHE"
_KERNEL_CACHE_DIR = "ECS_CDKTF_CODE_CACHE_DIR"  # what the preloaded script reads
_CODE_CACHE_SCRIPT = Path(__file__).parent.parent / "data" / "kernel_code_cache.js"


def code_cache_dir() -> Path | None:
    """Where the kernel's code cache lives, or None when `ECS_CDKTF_CODE_CACHE` turns it off (or there is no
    home folder to put it in)."""
    setting = (os.environ.get(CODE_CACHE_SETTING) or "").strip()
    if setting.lower() in fast.OFF:  # empty or unset: the default folder
        return None
    if setting:
        return Path(setting).expanduser()
    try:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    except RuntimeError:  # no HOME and no passwd entry (a container under an arbitrary uid)
        return None
    return base / "ecs-cdktf" / "node-code-cache"


def code_cache_environment() -> dict[str, str]:
    """What the kernel's environment needs for the code cache: the preloaded script and its folder (none when off)."""
    directory = code_cache_dir()
    if directory is None or not _CODE_CACHE_SCRIPT.is_file():
        return {}
    script = '"' + str(_CODE_CACHE_SCRIPT).replace("\\", "\\\\").replace('"', '\\"') + '"'
    node_options = " ".join(filter(None, [os.environ.get("NODE_OPTIONS", ""), f"--require {script}"]))
    return {"NODE_OPTIONS": node_options, _KERNEL_CACHE_DIR: str(directory.resolve())}
