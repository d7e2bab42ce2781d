"""What the webhook route does after the signature check: JSON + pydantic, then the service.

Shared by the tests, the soak and the bench, so they all deliver exactly as the route does.
"""
from __future__ import annotations

import hashlib
import json

from chalicelib.services.commit import Outcome

from . import schemas
from .webhooks import parse_event


def deliver(services, event: dict | bytes, marketplace: str,
            webhook_id: str | None = None) -> Outcome:
    """Deliver `event` (a dict is encoded as JSON) as an authenticated webhook of `marketplace`;
    without `webhook_id`, one is derived from the body (the same body replays as a duplicate)."""
    body = event if isinstance(event, bytes) else json.dumps(event).encode()
    wire = parse_event(body)
    webhook_id = webhook_id or "wh-" + hashlib.sha256(body).hexdigest()[:16]
    return services.ingest.process(services.ingest.marketplace(marketplace), webhook_id, body,
                                   wire.type, schemas.to_domain(wire, marketplace))
