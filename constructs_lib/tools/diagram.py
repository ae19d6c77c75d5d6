"""`diagram ENV_FILE`: a picture of each service's stack, drawn from the stack as synthesized (cli/synth.py
synthesizes it into a scratch folder), so the picture shows what Terraform will be given.

Clients -> Route53 record -> ALB -> listeners -> target groups -> ECS service -> task containers, with the roles
and what their policies reach, the image, secrets, environment files, EFS volumes, the log group and whatever
else the stack holds (diagram_build.py).

One graph model renders to Graphviz DOT (svg and png through the `dot` program, Debian package `graphviz`) and to
Mermaid. When svg or png is asked for and `dot` is not installed, Mermaid is written instead, with a note on
stderr. One file per stack, `OUTDIR/<environment>-environment.<ext>` (what the services share) and
`OUTDIR/<environment>-<service>.<svg|png|mmd|dot>`.

Exit codes: 0 success, 1 `dot` failed, 2 invalid env file.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .diagram_build import build
from .diagram_render import to_dot, to_mermaid

EXTENSIONS = {"svg": "svg", "png": "png", "mermaid": "mmd", "dot": "dot"}
DOT_TIMEOUT_SECONDS = 60


def write_diagrams(stacks: Iterable[dict[str, Any]], outdir: Path, format: str, dot: str | None) -> list[Path]:
    """Write one file per synthesized stack; svg and png need the `dot` program (`dot` is its path)."""
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for document in stacks:
        diagram = build(document)
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


def renderer(format: str) -> tuple[str, str | None]:
    """(format, path of `dot`): svg and png fall back to Mermaid, with a note, where Graphviz is not installed."""
    dot = shutil.which("dot")
    if format in ("svg", "png") and dot is None:
        print(
            f"note: Graphviz `dot` not found, writing Mermaid instead of {format} "
            "(install Graphviz, e.g. apt-get install graphviz)",
            file=sys.stderr,
        )
        return "mermaid", None
    return format, dot


def _render(dot: str, source: str, format: str, path: Path) -> None:
    done = subprocess.run(
        [dot, f"-T{format}", "-o", str(path)], input=source, text=True, capture_output=True, timeout=DOT_TIMEOUT_SECONDS
    )
    if done.returncode != 0:
        raise RuntimeError(f"dot -T{format} failed for {path.name}: {done.stderr.strip()}")


def register(commands: Any, run: Callable[[Any], int]) -> None:
    """Add the `diagram` subcommand to the CLI's subparsers; `run` synthesizes and calls `write_diagrams`."""
    parser = commands.add_parser(
        "diagram",
        help="draw each service's stack as SVG or PNG (Graphviz), or Mermaid",
        description="Synthesize the env file's stacks and draw each, one file per stack named "
        "<environment>-environment.<ext> (clusters, namespaces, log key, access-log bucket, web ACL) and "
        "<environment>-<service>.<ext> in OUTDIR: clients -> Route53 record -> ALB listeners -> target group -> "
        "ECS service -> containers, with the roles and what their policies reach, image, secrets, environment "
        "files, EFS volumes and log group. svg and png need Graphviz's `dot` (Debian: apt-get install graphviz); "
        "without it Mermaid (.mmd) is written instead, with a note on stderr. The written paths are printed.",
        epilog="Exit codes: 0 success, 1 dot failed, 2 invalid env file.",
    )
    parser.add_argument("env_file", metavar="ENV_FILE")
    parser.add_argument(
        "--format",
        choices=sorted(EXTENSIONS),
        default="svg",
        help="svg or png (Graphviz), mermaid (.mmd) or dot (Graphviz source) (default: svg)",
    )
    parser.add_argument("--outdir", default="diagrams", help="folder the files are written to (default: diagrams)")
    parser.set_defaults(run=run)
