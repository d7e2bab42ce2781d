"""The same local stack as `make run`, started as a subprocess on free ports."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_health(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"local stack exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=1):
                return
        except OSError:
            time.sleep(0.25)
    raise RuntimeError(f"local stack did not answer on {url} within {seconds} s")


class Stack:
    """One `python -m chalicelib.local` on free ports, its state in `state_dir`."""

    def __init__(self, state_dir: Path, *, fresh: bool = True, log: Path | None = None,
                 tenants: Path | None = None, env: dict[str, str] | None = None,
                 start_seconds: float = 60):
        self.port, self.moto_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.state_dir, self.log, self.start_seconds = state_dir, log, start_seconds
        self.env = {**{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
                    **(env or {})}
        output = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "chalicelib.local", "--port", str(self.port),
             "--moto-port", str(self.moto_port), "--state", str(state_dir)]
            + (["--fresh"] if fresh else []) + (["--tenants", str(tenants)] if tenants else []),
            cwd=ROOT, env=self.env, stdout=output, stderr=subprocess.STDOUT)
        self._output = output

    @property
    def aws_env(self) -> dict[str, str]:
        """What a command-line tool needs to reach this stack's embedded AWS."""
        from chalicelib.local.env import FAKE_AWS
        return {**self.env, **FAKE_AWS, "AWS_ENDPOINT_URL": f"http://127.0.0.1:{self.moto_port}"}

    def __enter__(self) -> "Stack":
        try:
            wait_for_health(self.url, self.process, self.start_seconds)
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> int:
        """Like Ctrl-C: the stack saves its state and exits."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if self._output is not subprocess.DEVNULL:
            self._output.close()
        return self.process.wait()


@pytest.fixture(scope="session")
def running_stack(tmp_path_factory):
    """The shared stack; its output goes to stack.log beside its state (read it when a test fails)."""
    state = tmp_path_factory.mktemp("stack-state")
    with Stack(state, log=state / "stack.log") as stack:
        yield stack


@pytest.fixture(scope="session")
def local_stack(running_stack):
    return running_stack.url
