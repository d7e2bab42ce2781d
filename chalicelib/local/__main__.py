"""`make run`: moto server (the embedded AWS), the table, the demo tenants, and `chalice local`.

The embedded AWS state is restored from `--state` on start and saved there on exit
(`--fresh` starts empty); see chalicelib/local/snapshot.py.
"""
from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from moto.server import ThreadedMotoServer

from chalicelib.policy.catalog import ProfileCatalog
from chalicelib.settings import Settings

from . import lifecycle, moto_dynamodb, seeding, tenants_file
from .env import DEFAULT_MOTO_PORT, stack_env

ROOT = Path(__file__).resolve().parents[2]


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m chalicelib.local", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--moto-port", type=int, default=DEFAULT_MOTO_PORT)
    parser.add_argument("--tenants", type=Path, default=ROOT / "examples" / "tenants.yaml")
    parser.add_argument("--state", type=Path, default=ROOT / ".local" / "state",
                        help="folder of the saved embedded AWS state")
    parser.add_argument("--fresh", action="store_true", help="start empty, ignore the saved state")
    return parser.parse_args()


def _stop_on_sigterm() -> None:
    """SIGTERM (a supervisor, `kill`) shuts down like Ctrl-C, so the state is saved."""
    def interrupt(*_):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, interrupt)
    signal.signal(signal.SIGINT, interrupt)  # even when started with SIGINT ignored (`&`)


def run_until_stopped(api: subprocess.Popen) -> int:
    """Polls: a signal caught by another thread only reaches a main thread that wakes up."""
    while api.poll() is None:
        time.sleep(0.2)
    return api.returncode


def start_api(args: argparse.Namespace) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "chalicelib.api.local_server", "--stage", "local",
         "--host", args.host, "--port", str(args.port)], cwd=ROOT, env=os.environ.copy())


def stop_api(api: subprocess.Popen) -> None:
    api.send_signal(signal.SIGINT)
    try:
        api.wait(timeout=10)
    except subprocess.TimeoutExpired:
        api.kill()


def main() -> int:
    args = arguments()
    profiles = set(ProfileCatalog(Settings.from_env().profile_dirs).names())
    tenants = tenants_file.load(args.tenants, profiles)  # the whole file, before anything starts
    lifecycle.refuse_taken_ports(args.host, args.port, args.moto_port)
    _stop_on_sigterm()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto server's access log
    moto_dynamodb.install()
    state_file = args.state / "moto.pickle"
    restored = lifecycle.restore_state(state_file, fresh=args.fresh)
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=args.moto_port, verbose=False)
    moto.start()
    os.environ.update(stack_env(args.moto_port))
    with contextlib.ExitStack() as stack:
        stack.callback(moto.stop)
        stack.callback(lifecycle.save_state, state_file)  # after everything below has stopped
        seeding.seed(tenants, args.tenants, Settings.from_env(), only_new=restored)
        api = start_api(args)
        stack.callback(stop_api, api)
        try:
            lifecycle.wait_for(f"http://{args.host}:{args.port}/health", api)
            lifecycle.started(args, tenants)
            return run_until_stopped(api)
        except KeyboardInterrupt:
            return 0


if __name__ == "__main__":
    sys.exit(main())
