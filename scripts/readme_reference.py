"""Write the README's env file reference (between its markers) from the models: `python scripts/readme_reference.py`."""

from __future__ import annotations

import sys
from pathlib import Path

from constructs_lib.tools.schema import reference_markdown

START, END = "<!-- env-reference:start -->", "<!-- env-reference:end -->"
README = Path(__file__).resolve().parent.parent / "README.md"


def with_reference(text: str) -> str:
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{reference_markdown()}\n{END}{tail}"


if __name__ == "__main__":
    README.write_text(with_reference(README.read_text()))
    sys.exit(0)
