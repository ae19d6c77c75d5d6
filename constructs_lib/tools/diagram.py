"""`diagram ENV_FILE`: a picture of each service's stack, drawn from the env file (no synthesis, no cdktf).

Clients -> Route53 record -> ALB -> listeners (443; 80 redirecting; the admin and CodeDeploy test listeners when
configured) -> target groups -> ECS service -> task containers (app, sidecars, X-Ray daemon, log router), with the
execution and task roles, the image, secrets (Secrets Manager, SSM), environment files, EFS volumes and the log
group. A service on a shared ALB shows the shared listener and its rules instead.

One graph model renders to Graphviz DOT (svg and png through the `dot` program, Debian package `graphviz`) and to
Mermaid. When svg or png is asked for and `dot` is not installed, Mermaid is written instead, with a note on
stderr. One file per service, `OUTDIR/<environment>-<service>.<svg|png|mmd|dot>`.

Exit codes: 0 success, 1 `dot` failed, 2 invalid env file.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from ..config import EnvConfig, load_env_files
from .diagram_build import build
from .diagram_render import to_dot, to_mermaid

EXTENSIONS = {"svg": "svg", "png": "png", "mermaid": "mmd", "dot": "dot"}
DOT_TIMEOUT_SECONDS = 60


def write_diagrams(env: EnvConfig, outdir: Path, format: str, dot: str | None) -> list[Path]:
    """Write one file per service; svg and png need the `dot` program (`dot` is its path)."""
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for service in env.services:
        diagram = build(env, service)
        path = outdir / f"{diagram.name}.{EXTENSIONS[format]}"
        if format == "mermaid":
            path.write_text(to_mermaid(diagram))
        elif format == "dot":
            path.write_text(to_dot(diagram))
        else:
            assert dot is not None
            _render(dot, to_dot(diagram), format, path)
        written.append(path)
    return written


def _render(dot: str, source: str, format: str, path: Path) -> None:
    done = subprocess.run(
        [dot, f"-T{format}", "-o", str(path)], input=source, text=True, capture_output=True, timeout=DOT_TIMEOUT_SECONDS
    )
    if done.returncode != 0:
        raise RuntimeError(f"dot -T{format} failed for {path.name}: {done.stderr.strip()}")


def _run(args: argparse.Namespace) -> int:
    (env,) = load_env_files([args.env_file])
    format = args.format
    dot = shutil.which("dot")
    if format in ("svg", "png") and dot is None:
        print(f"note: Graphviz `dot` not found, writing Mermaid instead of {format} "
              "(install Graphviz, e.g. apt-get install graphviz)", file=sys.stderr)
        format = "mermaid"
    for path in write_diagrams(env, Path(args.outdir), format, dot):
        print(path)
    return 0


def register(commands: Any) -> None:
    """Add the `diagram` subcommand to the CLI's subparsers."""
    parser = commands.add_parser(
        "diagram",
        help="draw each service's stack as SVG or PNG (Graphviz), or Mermaid",
        description="Draw each service's stack from the env file, one file per service named "
        "<environment>-<service>.<ext> in OUTDIR: clients -> Route53 record -> ALB listeners -> target group -> "
        "ECS service -> containers, with the execution and task roles, image, secrets, environment files, EFS "
        "volumes and log group. svg and png need Graphviz's `dot` (Debian: apt-get install graphviz); without it "
        "Mermaid (.mmd) is written instead, with a note on stderr. The written paths are printed.",
        epilog="Exit codes: 0 success, 1 dot failed, 2 invalid env file.",
    )
    parser.add_argument("env_file", metavar="ENV_FILE")
    parser.add_argument(
        "--format", choices=sorted(EXTENSIONS), default="svg",
        help="svg or png (Graphviz), mermaid (.mmd) or dot (Graphviz source) (default: svg)",
    )
    parser.add_argument("--outdir", default="diagrams", help="folder the files are written to (default: diagrams)")
    parser.set_defaults(run=_run)
