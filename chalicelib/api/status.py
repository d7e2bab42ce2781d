"""GET /v1/... seller routes, /health and /openapi.json."""
from __future__ import annotations

from datetime import datetime

from chalice import Blueprint

from chalicelib.domain.errors import InvalidInputError
from chalicelib.services.ports import TicketQuery

from .context import services
from .errors import guarded
from .schemas import MAX_ID_BYTES

bp = Blueprint(__name__)
STATUSES = ("open", "closed", "rejected")
MAX_LIMIT = 200
MAX_CURSOR_BYTES = 1024  # ours are ~100; decoded, a cursor names a sort key (<= 1,024 bytes)


@bp.route("/health", methods=["GET"])
@guarded
def health() -> dict:
    return {"status": "ok"}


@bp.route("/openapi.json", methods=["GET"])
@guarded
def openapi() -> dict:
    from .openapi import openapi_document  # its wire models are documentation: off the init phase
    return openapi_document()


@bp.route("/v1/tickets", methods=["GET"])
@guarded
def list_tickets() -> dict:
    status_service, seller = _authenticated()
    params = bp.current_request.query_params or {}
    return status_service.tickets(ticket_query(seller.seller_id, params))


@bp.route("/v1/tickets/{ticket_id}", methods=["GET"])
@guarded
def get_ticket(ticket_id: str) -> dict:
    status_service, seller = _authenticated()
    return status_service.ticket(seller, _bounded("ticket_id", ticket_id))


@bp.route("/v1/tickets/{ticket_id}/credentials", methods=["GET"])
@guarded
def get_credentials(ticket_id: str) -> dict:
    status_service, seller = _authenticated()
    return status_service.credentials(seller, _bounded("ticket_id", ticket_id))


@bp.route("/v1/sla", methods=["GET"])
@guarded
def sla_report() -> dict:
    status_service, seller = _authenticated()
    params = bp.current_request.query_params or {}
    since, until = _instant(params, "since"), _instant(params, "until")
    if since and until and until <= since:
        raise InvalidInputError("bad query", [("until", "must be after since")])
    return status_service.sla_report(seller, since, until)


@bp.route("/v1/sla/summary", methods=["GET"])
@guarded
def sla_summary() -> dict:
    wiring = services()
    _, seller = _authenticated()
    return wiring.summary.summary(seller, wiring.clock.now())


@bp.route("/v1/support-hours", methods=["GET"])
@guarded
def support_hours() -> dict:
    wiring = services()
    _, seller = _authenticated()
    marketplace = _bounded("marketplace", (bp.current_request.query_params or {}).get("marketplace"))
    return wiring.status.support_hours(seller, marketplace, wiring.clock.now())


@bp.route("/v1/entitlements", methods=["GET"])
@guarded
def entitlements() -> dict:
    wiring = services()
    _, seller = _authenticated()
    params = bp.current_request.query_params or {}
    customer_id = params.get("customer_id")
    if not customer_id:
        raise InvalidInputError("bad query", [("customer_id", "required")])
    return wiring.status.entitlements(seller, _bounded("customer_id", customer_id),
                                      _bounded("product_id", params.get("product_id")),
                                      wiring.clock.now())


def _authenticated():
    """The status service and the seller its API key names (401 otherwise)."""
    status_service = services().status
    return status_service, status_service.seller_for(bp.current_request.headers.get("authorization"))


def _instant(params: dict, name: str) -> datetime | None:
    raw = params.get(name)
    if raw is None:
        return None
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        raise InvalidInputError("bad query", [(name, "an RFC 3339 time with a zone, e.g. 2026-11-23T09:00:00Z")])
    return value


def ticket_query(seller_id: str, params: dict) -> TicketQuery:
    status = params.get("status")
    if status is not None and status not in STATUSES:
        raise InvalidInputError("bad query", [("status", f"must be one of {', '.join(STATUSES)}")])
    return TicketQuery(seller_id=seller_id, status=status,
                       product_id=_bounded("product_id", params.get("product_id")),
                       customer_id=_bounded("customer_id", params.get("customer_id")),
                       limit=_limit(params.get("limit")), due_before=_instant(params, "due_before"),
                       cursor=_bounded("cursor", params.get("cursor"), MAX_CURSOR_BYTES))


def _bounded(name: str, value: str | None, limit: int = MAX_ID_BYTES) -> str | None:
    """Ids reach DynamoDB keys: over the contract's bound it is a 400 here, not a refusal there."""
    if value is not None and len(value.encode("utf-8", "surrogatepass")) > limit:
        raise InvalidInputError("bad query", [(name, f"must be at most {limit} bytes in UTF-8")])
    return value


def _limit(raw: str | None) -> int:
    if raw is None:
        return 50
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise InvalidInputError("bad query", [("limit", f"must be an integer from 1 to {MAX_LIMIT}")])
    return int(raw)
