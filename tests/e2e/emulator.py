"""moto_server with the shims of moto_patched.py, on HTTPS on a free loopback port: start, wait, stop.

Shared by the e2e fixture (one server per session, always stopped) and `make try` (a server left running in the
background until `make try-destroy`). TLS because the product's state bucket is TLS-only: its policy denies
`aws:SecureTransport = false`, and with the shim moto enforces that, so every state read and write passes it.
"""

from __future__ import annotations

import os
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from . import seed
from .harness import Moto

HERE = Path(__file__).resolve().parent
START_SECONDS = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(folder: Path, *, account_id: str | None = None,
          detached: bool = False) -> tuple[Moto, subprocess.Popen[bytes]]:
    """Start the server with a fresh self-signed certificate in `folder` (its log: `folder/moto_server.log`) and
    wait until it answers. `account_id` is the account moto plays (default 123456789012); a `detached` server
    outlives the caller's process group (`make try` returns while it keeps running)."""
    certificate, key = seed.server_certificate()
    (folder / "moto.crt").write_bytes(certificate)
    (folder / "moto.key").write_bytes(key)
    port = free_port()
    moto = Moto(f"https://127.0.0.1:{port}", str(folder / "moto.crt"))
    env = {**os.environ, **({"MOTO_ACCOUNT_ID": account_id} if account_id else {})}
    log_path = folder / "moto_server.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [sys.executable, str(HERE / "moto_patched.py"), "-H", "127.0.0.1", "-p", str(port),
             "-c", str(folder / "moto.crt"), "-k", str(folder / "moto.key")],
            stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=detached,
        )
    try:
        _wait_until_up(moto, server, log_path)
    except BaseException:
        stop(server)
        raise
    return moto, server


def answers(moto: Moto) -> bool:
    """Whether a server answers at `moto.endpoint` with its certificate."""
    context = ssl.create_default_context(cafile=moto.ca_file)
    try:
        with urllib.request.urlopen(f"{moto.endpoint}/moto-api/", timeout=1, context=context):
            return True
    except (OSError, ssl.SSLError):
        return False


def _wait_until_up(moto: Moto, server: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"moto_server exited {server.returncode}:\n{log_path.read_text()}")
        if answers(moto):
            return
        time.sleep(0.2)
    raise RuntimeError(f"moto_server did not answer on {moto.endpoint} within {START_SECONDS} s:\n"
                       f"{log_path.read_text()}")


def stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def stop_pid(pid: int) -> None:
    """Stop a server started by an earlier process (`make try`), known only by its pid: only if that pid is
    still one of our servers (pids get reused); gone already is fine."""
    for sig, seconds in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        if not running(pid):
            return
        os.kill(pid, sig)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and running(pid):
            time.sleep(0.1)


def running(pid: int) -> bool:
    """Whether `pid` is a live moto_patched.py server (a zombie left to a parent that never reaps is not)."""
    proc = Path(f"/proc/{pid}")
    try:
        state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        command = (proc / "cmdline").read_bytes()
    except OSError:
        return False
    return state != "Z" and b"moto_patched.py" in command
