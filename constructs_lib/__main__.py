"""`python -m constructs_lib` and the `ecs-cdktf` command (see cli.py)."""

import sys


def run() -> int:
    command = next((arg for arg in sys.argv[1:] if not arg.startswith("-")), None)  # past `--debug` and the like
    if command == "synth":
        from ._jsii.fast_kernel import start_kernel_early

        start_kernel_early()  # before cli imports the config models: Node starts while they load
    from .cli.main import main

    return main()


if __name__ == "__main__":
    sys.exit(run())
