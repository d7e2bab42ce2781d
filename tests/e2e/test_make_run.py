"""`make run` as a developer lives with it: state that lasts, a taken port, a bad tenants file."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from datetime import datetime, timezone

import pytest

from tests.builders import message_event

from .conftest import ROOT, Stack, free_port
from .helpers import read, send

pytestmark = [pytest.mark.e2e]


def _local(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    return subprocess.run([sys.executable, "-m", "chalicelib.local", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def _thread_ids(stack: Stack) -> set[str]:
    response = read(stack.url, "/v1/tickets?limit=200", "acme-modules")
    assert response.status_code == 200, response.text
    return {item["thread_id"] for item in response.json()["items"]}


def test_the_state_survives_a_restart_and_fresh_starts_empty(tmp_path):
    thread = f"thread-{uuid.uuid4().hex[:8]}"
    log = tmp_path / "stack.log"
    with Stack(tmp_path / "state", fresh=False, log=log) as stack:
        event = message_event(thread_id=thread, seller_id="acme-modules",
                              at=datetime.now(timezone.utc))
        assert send(stack.url, "cmsmart", event).status_code == 200
    assert (tmp_path / "state" / "moto.pickle").exists()
    with Stack(tmp_path / "state", fresh=False, log=log) as stack:
        assert thread in _thread_ids(stack)
    with Stack(tmp_path / "state", fresh=True, log=log) as stack:
        assert thread not in _thread_ids(stack)
    states = [line for line in log.read_text().splitlines() if line.startswith("state: ")]
    assert [s.split(" ")[1] for s in states] == ["fresh", "saved", "restored", "saved", "fresh",
                                                 "saved"], states


def test_a_taken_port_is_one_clear_line_and_nothing_starts(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = _local("--port", str(port), "--moto-port", str(free_port()),
                      "--state", str(tmp_path))
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"make run: port {port} (the API) is already in use, maybe by another make run; "
        f"pick another: make run PORT={port + 100}"]
    assert "is up" not in done.stdout and not list(tmp_path.iterdir())


def test_a_bad_tenants_file_lists_every_problem_with_file_line_and_key(tmp_path):
    tenants = tmp_path / "tenants.yaml"
    tenants.write_text(
        "marketplaces:\n"
        "  cmsmart:\n"
        "    policy: cmsmartt\n"
        "    secrets: [not-a-secret]\n"
        "    endpoints: [{url: 'http://127.0.0.1:9000/hooks', secret: whsec_dGVzdHNlY3JldA==}]\n"
        "  cmsmart:\n"
        "    policy: cmsmart\n"
        "    secrets: [whsec_dGVzdHNlY3JldA==]\n"
        "sellers:\n"
        "  acme: {api_keys: [tw_local_0123456789abcdef]}\n"
        "  globex: {api_keys: [tw_local_0123456789abcdef], colour: blue}\n")
    done = _local("--tenants", str(tenants), "--port", str(free_port()),
                  "--moto-port", str(free_port()), "--state", str(tmp_path / "state"))
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "invalid tenants file, nothing was started:",
        f"  {tenants}:3: marketplaces.cmsmart.policy: no profile named 'cmsmartt' "
        "(known: cmsmart, crmjetty, prestashop-business-care)",
        f"  {tenants}:4: marketplaces.cmsmart.secrets[0]: not a signing secret "
        "(whsec_ followed by base64)",
        f"  {tenants}:6: marketplaces.cmsmart: duplicate key "
        "(the first one would be silently lost)",
        f"  {tenants}:11: sellers.globex.colour: unknown key",
        f"  {tenants}:11: sellers.globex.api_keys[0]: the same API key as seller 'acme'",
    ]
    assert not (tmp_path / "state").exists()
