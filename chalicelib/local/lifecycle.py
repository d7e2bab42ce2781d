"""What `make run` says and checks as it starts and stops: ports, saved state, the first screen."""
from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from datetime import timezone
from pathlib import Path

from . import snapshot, tenants_file
from .env import DEFAULT_MOTO_PORT, operator_env


def _say(line: str) -> None:
    print(line, flush=True)


def refuse_taken_ports(host: str, port: int, moto_port: int) -> None:
    """One line and exit, before anything starts, when a port is already listened on."""
    for number, what, variable in ((port, "the API", "PORT"),
                                   (moto_port, "the embedded AWS", "MOTO_PORT")):
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host if number == port else "127.0.0.1", number))
            except OSError:
                raise SystemExit(f"make run: port {number} ({what}) is already in use, maybe by "
                                 f"another make run; pick another: make run {variable}="
                                 f"{number + 100}") from None


def restore_state(path: Path, *, fresh: bool) -> bool:
    """True when a saved state was put back; the first line printed says which it is."""
    if fresh or not path.exists():
        why = "FRESH=1" if fresh else f"nothing saved yet at {_shown(path)}"
        _say(f"state: fresh ({why}); saved to {_shown(path)} on exit")
        return False
    started = time.monotonic()
    try:
        saved = snapshot.restore(path)
    except Exception as exc:  # noqa: BLE001 - an unreadable snapshot must not stop make run
        _say(f"state: fresh (could not restore {_shown(path)}: {type(exc).__name__}: {exc}); "
             "it is replaced on exit")
        return False
    when = saved.saved_at.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    _say(f"state: restored from {_shown(path)} (saved {when}, {saved.size / 1024:.0f} KiB, "
         f"{time.monotonic() - started:.1f} s); make run FRESH=1 starts empty")
    return True


def save_state(path: Path) -> None:
    started = time.monotonic()
    saved = snapshot.save(path)
    _say(f"state: saved to {_shown(path)} ({saved.size / 1024:.0f} KiB in "
         f"{time.monotonic() - started:.1f} s: {', '.join(saved.services)}); "
         "make run restores it, make run FRESH=1 starts empty")


def wait_for(url: str, api: subprocess.Popen, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if api.poll() is not None:
            raise SystemExit(f"make run: the API process exited with {api.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"make run: {url} did not answer within {seconds:.0f} s")


def started(args, tenants: tenants_file.TenantsFile) -> None:
    """URL, demo keys, the next command and the operator CLI's variables."""
    url = f"http://{args.host}:{args.port}"
    _say(f"Ticketwarden is up on {url} (embedded AWS on 127.0.0.1:{args.moto_port}); "
         "Ctrl-C stops it and saves the state.")
    for name, entry in tenants.marketplaces.items():
        _say(f"  marketplace {name:<12} policy {entry.policy:<26} POST {url}/webhooks/{name}")
    for name, entry in tenants.sellers.items():
        keys = ", ".join(entry.api_keys) or "(no key in the file)"
        _say(f"  seller      {name:<12} key {keys}")
    first = next((e.api_keys[0] for e in tenants.sellers.values() if e.api_keys), "<api key>")
    _say(f"Next: curl -s {url}/v1/tickets -H 'Authorization: Bearer {first}'   "
         "(or the \"Try it\" script of README.md)")
    moto_flag = "" if args.moto_port == DEFAULT_MOTO_PORT else f" --moto-port {args.moto_port}"
    variables = " ".join(f"{k}={v}" for k, v in operator_env(args.moto_port).items())
    _say(f"Operator CLI: .venv/bin/python -m chalicelib.cli --local{moto_flag} keys list "
         f"<seller>  (or export {variables})")


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
