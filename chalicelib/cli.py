"""Operator commands: signing secrets (SSM) and seller API keys (stored hashed).

    python -m chalicelib.cli secrets rotate <marketplace> [--keep 2]
    python -m chalicelib.cli secrets list <marketplace>
    python -m chalicelib.cli secrets retire <marketplace> --keep 1
    python -m chalicelib.cli keys create <seller>
    python -m chalicelib.cli keys list <seller>
    python -m chalicelib.cli keys revoke <seller> <hash prefix>
    python -m chalicelib.cli whatif --profile FILE --seller SELLER [--since T] [--until T]
    python -m chalicelib.cli whatif --shadow --seller SELLER [--since T] [--until T]
    python -m chalicelib.cli lint FILE...

    python -m chalicelib.cli endpoints add|list|remove ...   (chalicelib/cli_endpoints.py)

New secrets and keys are printed once and never stored in clear. `--local [--moto-port N]`
points every command at `make run`'s embedded AWS (endpoint, region, dummy credentials and
secrets path), the same variables `make run` prints.
"""
from __future__ import annotations

import argparse
import base64
import os
import secrets
import sys
from datetime import datetime, timezone
from urllib.parse import urlsplit

from chalicelib import cli_endpoints
from chalicelib.adapters.aws import client, setup_problem
from chalicelib.adapters.dynamo.store import DynamoTicketStore
from chalicelib.adapters.dynamo.tenants import DynamoTenants
from chalicelib.adapters.ssm_secrets import SsmSecrets
from chalicelib.local.env import DEFAULT_MOTO_PORT, operator_env
from chalicelib.services.status import hash_api_key
from chalicelib.settings import Settings
from chalicelib.lint_cli import add_parser as add_lint, lint_command
from chalicelib.whatif_cli import add_parser as add_whatif, whatif_command

MIN_PREFIX = 8


def new_signing_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def new_api_key() -> str:
    return "tw_" + secrets.token_urlsafe(32)


def secret_store(settings: Settings) -> SsmSecrets:
    if not settings.secrets_path:
        raise SystemExit("TICKETWARDEN_SECRETS_PATH is not set (e.g. /ticketwarden/prod/marketplaces)")
    return SsmSecrets(client("ssm"), settings.secrets_path, cache_seconds=0)


def known_marketplace(settings: Settings, name: str) -> None:
    """A secret for a marketplace nobody registered would sign nothing: refuse it."""
    tenants = DynamoTenants(client("dynamodb"), settings.table_name, cache_seconds=0)
    if tenants.marketplace(name) is None:
        raise SystemExit(f"unknown marketplace '{name}': register it in the table first "
                         "(README, \"Register a marketplace\"; locally, the tenants file)")


def secrets_command(args, settings: Settings) -> str:
    store = secret_store(settings)
    known_marketplace(settings, args.marketplace)
    if args.action == "rotate":
        store.add(args.marketplace, secret := new_signing_secret(), datetime.now(timezone.utc))
        retired = store.retire(args.marketplace, keep=args.keep)
        return (f"new signing secret for {args.marketplace} (shown once):\n{secret}\n"
                f"active: {len(store.names(args.marketplace))}, retired: {len(retired)}")
    if args.action == "retire":
        retired = store.retire(args.marketplace, keep=args.keep)
        return f"retired {len(retired)}; active: {len(store.names(args.marketplace))}"
    return "\n".join(store.names(args.marketplace)) or "(no secrets)"


def keys_command(args, settings: Settings) -> str:
    tenants = DynamoTenants(client("dynamodb"), settings.table_name, cache_seconds=0)
    if tenants.seller(args.seller) is None:
        raise SystemExit(f"unknown seller '{args.seller}'")
    if args.action == "create":
        key = new_api_key()
        tenants.add_api_key(args.seller, hash_api_key(key), datetime.now(timezone.utc).isoformat())
        return f"new API key for {args.seller} (shown once; stored as a SHA-256 hash):\n{key}"
    held = tenants.api_key_hashes(args.seller)
    if args.action == "list":
        return "\n".join(f"{h[:12]}…  created {created}" for h, created in held) or "(no keys)"
    matches = [h for h, _ in held if h.startswith(args.prefix)]
    if len(args.prefix) < MIN_PREFIX or len(matches) != 1:
        raise SystemExit(f"give at least {MIN_PREFIX} characters of exactly one key hash "
                         f"(matched {len(matches)})")
    tenants.revoke_api_key(matches[0])
    return f"revoked {matches[0][:12]}… (cached lookups expire within 60 s)"


def orders_command(args, settings: Settings) -> str:
    """After upgrading a table from before the order summaries: one pass, then one read each."""
    store = DynamoTicketStore(client("dynamodb"), settings.table_name)
    count = store.backfill_order_summaries(
        progress=lambda n: print(f"[backfill] {n} orders so far", file=sys.stderr, flush=True))
    tickets = store.backfill_ticket_digests(
        progress=lambda n: print(f"[backfill] {n} tickets so far", file=sys.stderr, flush=True))
    return (f"{count} orders written to their customers' summaries; first messages now read them "
            f"with the thread. {tickets} tickets written to their customers' digests; refunds now "
            f"read them with the order")


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m chalicelib.cli", description=__doc__,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    root.add_argument("--local", action="store_true",
                      help="talk to make run's embedded AWS (127.0.0.1:5005, dummy credentials)")
    root.add_argument("--moto-port", type=int, default=DEFAULT_MOTO_PORT,
                      help="with --local: the embedded AWS port (make run MOTO_PORT=)")
    groups = root.add_subparsers(dest="group", required=True)
    sec = groups.add_parser("secrets").add_subparsers(dest="action", required=True)
    for action, keep in (("rotate", 2), ("retire", 1)):
        sub = sec.add_parser(action)
        sub.add_argument("marketplace")
        sub.add_argument("--keep", type=int, default=keep, help="secrets left active")
    sec.add_parser("list").add_argument("marketplace")
    key = groups.add_parser("keys").add_subparsers(dest="action", required=True)
    key.add_parser("create").add_argument("seller")
    key.add_parser("list").add_argument("seller")
    revoke = key.add_parser("revoke")
    revoke.add_argument("seller")
    revoke.add_argument("prefix", help="the start of the key's hash, from `keys list`")
    orders = groups.add_parser("orders").add_subparsers(dest="action", required=True)
    orders.add_parser("backfill-summaries",
                      help="write every stored order into its customer's summary (a table from before them)")
    cli_endpoints.add_parser(groups)
    add_whatif(groups)
    add_lint(groups)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.local:  # before any client is built: boto3 reads these when it creates one
        os.environ.update(operator_env(args.moto_port))
    elif _is_loopback(os.environ.get("AWS_ENDPOINT_URL", "")):  # pointed at make run by hand
        for name, value in operator_env().items():
            os.environ.setdefault(name, value)
    settings = Settings.from_env()
    run = {"secrets": secrets_command, "keys": keys_command, "endpoints": cli_endpoints.run,
           "whatif": whatif_command, "lint": lint_command, "orders": orders_command}[args.group]
    try:
        print(run(args, settings))
    except Exception as exc:
        if (problem := setup_problem(exc)) is None:
            raise
        raise SystemExit(problem) from None
    return 0


def _is_loopback(url: str) -> bool:
    return urlsplit(url).hostname in ("127.0.0.1", "localhost", "::1")


if __name__ == "__main__":
    sys.exit(main())
