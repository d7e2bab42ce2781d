"""`make run`: moto server (the embedded AWS), the table, the demo tenants, and `chalice local`."""
from __future__ import annotations

import argparse
from dataclasses import replace
from datetime import datetime, timedelta, timezone
import logging
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from moto.server import ThreadedMotoServer

from chalicelib.adapters.aws import client
from chalicelib.adapters.dynamo.schema import create_table
from chalicelib.adapters.dynamo.tenants import DynamoTenants
from chalicelib.adapters.kms_vault import ensure_key
from chalicelib.adapters.scheduler import ensure_group
from chalicelib.adapters.ssm_secrets import SsmSecrets
from chalicelib.settings import Settings

from . import endpoints_seed, moto_dynamodb, tenants_file

ROOT = Path(__file__).resolve().parents[2]
SEEDED_AT = datetime(2026, 1, 1, tzinfo=timezone.utc)
LOCAL_TARGETS = {  # what schedules point at; moto never invokes them, the pump does
    "TICKETWARDEN_SECRETS_PATH": "/ticketwarden/local/marketplaces",
    "TICKETWARDEN_TIMER_FUNCTION_ARN": "arn:aws:lambda:eu-west-1:123456789012:function:ticketwarden-local-timer",
    "TICKETWARDEN_SCHEDULER_ROLE_ARN": "arn:aws:iam::123456789012:role/ticketwarden-local-scheduler"}
FAKE_AWS = {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",
            "AWS_DEFAULT_REGION": "eu-west-1"}


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m chalicelib.local", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--moto-port", type=int, default=5005)
    parser.add_argument("--tenants", type=Path, default=ROOT / "examples" / "tenants.yaml")
    return parser.parse_args()


def seed(tenants_path: Path, settings: Settings) -> None:
    tenants = tenants_file.load(tenants_path)
    dynamodb = client("dynamodb")
    create_table(dynamodb, settings.table_name)
    ensure_group(client("scheduler"), settings.schedule_group)
    ensure_key(client("kms"), settings.vault_key_id)
    directory = DynamoTenants(dynamodb, settings.table_name)
    secrets = SsmSecrets(client("ssm"), settings.secrets_path)
    for marketplace in tenants_file.marketplaces(tenants):
        directory.put_marketplace(replace(marketplace, secrets=()))  # secrets live in SSM
        secrets.retire(marketplace.name, keep=0)
        for n, secret in enumerate(marketplace.secrets):
            secrets.add(marketplace.name, secret, SEEDED_AT + timedelta(seconds=n))
    for seller, key_hashes in tenants_file.sellers(tenants):
        directory.put_seller(seller, key_hashes)
    endpoints_seed.seed(tenants, settings)  # marketplace endpoints (notices)
    print(f"seeded {len(tenants.marketplaces)} marketplaces, {len(tenants.sellers)} sellers "
          f"from {tenants_path}", flush=True)


def wait_for(url: str, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {seconds:.0f} s")


def main() -> int:
    args = arguments()
    tenants_file.load(args.tenants)  # fail fast, before anything starts
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto server's access log
    moto_dynamodb.install()
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=args.moto_port, verbose=False)
    moto.start()
    os.environ.update({**FAKE_AWS, **LOCAL_TARGETS, "TICKETWARDEN_LOCAL": "true",
                       "AWS_ENDPOINT_URL": f"http://127.0.0.1:{args.moto_port}"})
    settings = Settings.from_env()
    seed(args.tenants, settings)
    chalice = subprocess.Popen(
        [sys.executable, "-m", "chalicelib.api.local_server", "--stage", "local",
         "--host", args.host, "--port", str(args.port)], cwd=ROOT, env=os.environ.copy())
    try:
        wait_for(f"http://{args.host}:{args.port}/health")
        print(f"Ticketwarden is up on http://{args.host}:{args.port} "
              f"(embedded AWS on 127.0.0.1:{args.moto_port}); Ctrl-C stops it.", flush=True)
        return chalice.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        chalice.send_signal(signal.SIGINT)
        try:
            chalice.wait(timeout=10)
        except subprocess.TimeoutExpired:
            chalice.kill()
        moto.stop()


if __name__ == "__main__":
    sys.exit(main())
