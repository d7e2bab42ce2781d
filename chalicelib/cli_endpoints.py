"""Operator commands for marketplace endpoints (where `action.requested` notices go).

    python -m chalicelib.cli endpoints add <marketplace> <url> [--secret whsec_...]
    python -m chalicelib.cli endpoints list <marketplace>
    python -m chalicelib.cli endpoints remove <marketplace> <endpoint id>

A generated secret is printed once; stored secrets are encrypted with the vault's KMS key.
"""
from __future__ import annotations

from chalicelib.adapters.aws import client
from chalicelib.adapters.dynamo.outbound_store import DynamoOutboundStore
from chalicelib.adapters.kms_vault import KmsVault
from chalicelib.adapters.url_guard import UrlGuard
from chalicelib.domain.errors import InvalidInputError
from chalicelib.domain.outbound import owner_of_marketplace
from chalicelib.services.clock import SystemClock
from chalicelib.services.endpoints import EndpointService, new_secret
from chalicelib.settings import Settings


def operator_endpoints(settings: Settings) -> EndpointService:
    """Registration only (no delivery): what seeding and the CLI need."""
    return EndpointService(store=DynamoOutboundStore(client("dynamodb"), settings.table_name),
                           vault=KmsVault(client("kms"), settings.vault_key_id),
                           guard=UrlGuard(allow_local=settings.local_mode), dispatcher=None,
                           clock=SystemClock())


def add_parser(groups) -> None:
    commands = groups.add_parser("endpoints").add_subparsers(dest="action", required=True)
    add = commands.add_parser("add")
    add.add_argument("marketplace")
    add.add_argument("url")
    add.add_argument("--secret", help="the endpoint's whsec_ secret (default: a new one, printed)")
    commands.add_parser("list").add_argument("marketplace")
    remove = commands.add_parser("remove")
    remove.add_argument("marketplace")
    remove.add_argument("endpoint_id")


def run(args, settings: Settings) -> str:
    service = operator_endpoints(settings)
    owner = owner_of_marketplace(args.marketplace)
    if args.action == "add":
        secret = args.secret or new_secret()
        try:
            endpoint = service.put_marketplace_endpoint(args.marketplace, args.url, secret)
        except InvalidInputError as exc:
            raise SystemExit(str(exc)) from exc
        shown = "" if args.secret else f"\nsecret (shown once): {secret}"
        return f"{endpoint.id} {endpoint.url}{shown}"
    endpoints = service.store.endpoints_of(owner)
    if args.action == "list":
        return "\n".join(f"{e.id} {e.status.value} {e.url}" for e in endpoints) or "(no endpoints)"
    if args.endpoint_id not in {e.id for e in endpoints}:
        raise SystemExit(f"{args.marketplace} has no endpoint {args.endpoint_id}")
    service.store.delete_endpoint(args.endpoint_id)
    return f"removed {args.endpoint_id}"
