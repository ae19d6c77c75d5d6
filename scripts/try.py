"""`make try` / `make try-destroy` (tests/e2e/try_it.py): envs/dev.json applied to the local emulator.

The emulator and its test-only shims live in tests/e2e, outside the installed package; this script puts
tests/ on the import path, as pytest does for the e2e.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from e2e.try_it import main  # noqa: E402 - needs tests/ on the path first

if __name__ == "__main__":
    sys.exit(main())
