"""GET /v1/... seller routes, /health and /openapi.json."""
from __future__ import annotations

from chalice import Blueprint

from chalicelib.domain.errors import InvalidInputError
from chalicelib.services.ports import TicketQuery

from .context import services
from .errors import guarded
from .openapi import openapi_document

bp = Blueprint(__name__)
STATUSES = ("open", "closed", "rejected")
MAX_LIMIT = 200


@bp.route("/health", methods=["GET"])
@guarded
def health() -> dict:
    return {"status": "ok"}


@bp.route("/openapi.json", methods=["GET"])
@guarded
def openapi() -> dict:
    return openapi_document()


@bp.route("/v1/tickets", methods=["GET"])
@guarded
def list_tickets() -> dict:
    status_service = services().status
    seller = status_service.seller_for(bp.current_request.headers.get("authorization"))
    params = bp.current_request.query_params or {}
    return status_service.tickets(ticket_query(seller.seller_id, params))


@bp.route("/v1/tickets/{ticket_id}", methods=["GET"])
@guarded
def get_ticket(ticket_id: str) -> dict:
    status_service = services().status
    seller = status_service.seller_for(bp.current_request.headers.get("authorization"))
    return status_service.ticket(seller, ticket_id)


def ticket_query(seller_id: str, params: dict) -> TicketQuery:
    status = params.get("status")
    if status is not None and status not in STATUSES:
        raise InvalidInputError("bad query", [("status", f"must be one of {', '.join(STATUSES)}")])
    return TicketQuery(seller_id=seller_id, status=status, product_id=params.get("product_id"),
                       customer_id=params.get("customer_id"), limit=_limit(params.get("limit")),
                       cursor=params.get("cursor"))


def _limit(raw: str | None) -> int:
    if raw is None:
        return 50
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise InvalidInputError("bad query", [("limit", f"must be an integer from 1 to {MAX_LIMIT}")])
    return int(raw)
