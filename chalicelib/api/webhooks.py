"""POST /webhooks/{marketplace}: size, media type, marketplace, signature, schema, then the service."""
from __future__ import annotations

import logging

from chalice import Blueprint, Response
from pydantic import ValidationError

from chalicelib.domain.errors import (InvalidInputError, PayloadTooLargeError,
                                      UnsupportedMediaTypeError)

from . import json_body, schemas
from .context import services
from .errors import guarded

bp = Blueprint(__name__)
logger = logging.getLogger("ticketwarden.webhooks")


@bp.route("/webhooks/{marketplace}", methods=["POST"], content_types=["*/*"])
@guarded
def receive_webhook(marketplace: str) -> Response:
    request = bp.current_request
    wiring = services()
    body = request.raw_body or b""
    if len(body) > wiring.settings.max_body_bytes:
        raise PayloadTooLargeError(f"body is over {wiring.settings.max_body_bytes} bytes")
    _require_json(request.headers.get("content-type"))
    tenant = wiring.ingest.marketplace(marketplace)
    webhook_id = wiring.ingest.authenticate(tenant, body, request.headers)
    wire_event = parse_event(body)
    event = schemas.to_domain(wire_event, tenant.name)
    outcome = wiring.ingest.process(tenant, webhook_id, body, wire_event.type, event)
    logger.info("webhook applied", extra={"marketplace": tenant.name, "webhook_id": webhook_id,
                                          "type": wire_event.type, "duplicate": outcome.duplicate})
    return Response(body=outcome.body(), status_code=200)


def _require_json(content_type: str | None) -> None:
    media_type = (content_type or "").split(";")[0].strip().lower()
    if media_type != "application/json" and not media_type.endswith("+json"):
        raise UnsupportedMediaTypeError(f"send Content-Type: application/json, not '{media_type or 'none'}'")


def parse_event(body: bytes):
    """JSON, then the discriminated union; every problem is named with its field path."""
    raw = json_body.load(body)
    try:
        return schemas.EVENT_ADAPTER.validate_python(raw)
    except ValidationError as exc:
        raise InvalidInputError("body does not match the event schema", _details(exc)) from exc


def _details(exc: ValidationError) -> list[tuple[str, str]]:
    details = []
    for error in exc.errors(include_url=False):
        location = [str(part) for part in error["loc"]]
        if location and location[0] in schemas.EVENT_TYPES:
            location = location[1:]
        field = ".".join(location) or "type"
        problem = error["msg"]
        if error["type"] == "union_tag_invalid":
            problem = f"unknown event type; expected one of {', '.join(schemas.EVENT_TYPES)}"
        details.append((field, problem))
    return details
