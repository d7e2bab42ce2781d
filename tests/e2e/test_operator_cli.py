"""The operator CLI against the local stack, with nothing but `--local` (no AWS variables)."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
import requests

from .conftest import ROOT

pytestmark = [pytest.mark.e2e]


def cli(stack, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("AWS_", "TICKETWARDEN_"))}  # as a fresh shell has them
    return subprocess.run([sys.executable, "-m", "chalicelib.cli", "--local", "--moto-port",
                           str(stack.moto_port), *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)


def test_a_key_created_with_local_opens_the_status_api(running_stack):
    created = cli(running_stack, "keys", "create", "initech-crm")
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip().splitlines()[-1]
    response = requests.get(f"{running_stack.url}/v1/tickets",
                            headers={"Authorization": f"Bearer {key}"}, timeout=30)
    assert response.status_code == 200, response.text


def test_secrets_are_listed_by_name_and_an_unknown_marketplace_is_refused(running_stack):
    listed = cli(running_stack, "secrets", "list", "crmjetty")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.startswith("/ticketwarden/local/marketplaces/crmjetty/")
    refused = cli(running_stack, "secrets", "rotate", "crmjety")
    assert refused.returncode == 1 and "unknown marketplace 'crmjety'" in refused.stderr
    assert refused.stdout == ""


def test_without_a_stack_it_says_so_in_one_line():
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    done = subprocess.run([sys.executable, "-m", "chalicelib.cli", "--local", "--moto-port", "9",
                           "keys", "list", "acme-modules"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.strip() == "cannot reach http://127.0.0.1:9/: is make run up?"
