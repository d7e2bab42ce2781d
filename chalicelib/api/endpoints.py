"""Seller endpoints and notices: /v1/endpoints and /v1/notices (CONTRACT "Outbound notices")."""
from __future__ import annotations

import json
from typing import Annotated

from chalice import Blueprint, Response
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from chalicelib.domain.errors import InvalidInputError
from chalicelib.services.endpoints import (MAX_NOTICE_PAGE, SELLER_TYPES, dispatch_view,
                                           endpoint_view, notice_view)

from .context import services
from .errors import guarded

bp = Blueprint(__name__)
MAX_BODY = 8 * 1024


class NewEndpoint(BaseModel):
    model_config = ConfigDict(extra="ignore")
    url: Annotated[str, StringConstraints(min_length=8, max_length=2048)]
    event_types: Annotated[list[str], Field(max_length=len(SELLER_TYPES))] = []


def _seller_id() -> str:
    return services().status.seller_for(bp.current_request.headers.get("authorization")).seller_id


def _new_endpoint() -> NewEndpoint:
    raw = bp.current_request.raw_body or b""
    if len(raw) > MAX_BODY:
        raise InvalidInputError("body too large", [("body", f"at most {MAX_BODY} bytes")])
    try:
        return NewEndpoint.model_validate(json.loads(raw or b"null"))
    except ValueError as exc:
        if isinstance(exc, ValidationError):
            raise InvalidInputError("invalid endpoint", [
                (".".join(map(str, e["loc"])) or "body", e["msg"]) for e in exc.errors()]) from exc
        raise InvalidInputError("body is not valid JSON", [("body", "not JSON")]) from exc


@bp.route("/v1/endpoints", methods=["POST"])
@guarded
def create_endpoint() -> Response:
    seller_id = _seller_id()
    body = _new_endpoint()
    endpoint, secret = services().outbound.endpoints.register(seller_id, body.url,
                                                              tuple(body.event_types))
    return Response({**endpoint_view(endpoint), "secret": secret}, status_code=201)


@bp.route("/v1/endpoints", methods=["GET"])
@guarded
def list_endpoints() -> dict:
    return {"items": [endpoint_view(e) for e in services().outbound.endpoints.list(_seller_id())]}


@bp.route("/v1/endpoints/{endpoint_id}", methods=["GET"])
@guarded
def get_endpoint(endpoint_id: str) -> dict:
    return endpoint_view(services().outbound.endpoints.get(_seller_id(), endpoint_id))


@bp.route("/v1/endpoints/{endpoint_id}", methods=["DELETE"])
@guarded
def delete_endpoint(endpoint_id: str) -> Response:
    services().outbound.endpoints.delete(_seller_id(), endpoint_id)
    return Response(body="", status_code=204)


@bp.route("/v1/endpoints/{endpoint_id}/rotate-secret", methods=["POST"])
@guarded
def rotate_secret(endpoint_id: str) -> dict:
    endpoint, secret = services().outbound.endpoints.rotate(_seller_id(), endpoint_id)
    return {**endpoint_view(endpoint), "secret": secret}


@bp.route("/v1/notices", methods=["GET"])
@guarded
def list_notices() -> dict:
    seller_id = _seller_id()
    params = bp.current_request.query_params or {}
    limit = params.get("limit", "50")
    if not limit.isdigit():
        raise InvalidInputError("bad limit", [("limit", f"an integer from 1 to {MAX_NOTICE_PAGE}")])
    page = services().outbound.endpoints.notices(seller_id, params.get("after") or None,
                                                 params.get("type") or None, int(limit))
    return {"items": [notice_view(n) for n in page.items], "next_cursor": page.next_cursor}


@bp.route("/v1/notices/{notice_id}", methods=["GET"])
@guarded
def get_notice(notice_id: str) -> dict:
    notice, dispatches = services().outbound.endpoints.notice(_seller_id(), notice_id)
    mine = {e.id for e in services().outbound.endpoints.list(notice.seller_id)}
    shown = [d for d in dispatches if d.endpoint_id in mine]  # never the marketplace's endpoints
    return {**notice_view(notice), "deliveries": [dispatch_view(d) for d in shown],
            "attempts": [a for d in shown for a in dispatch_view(d)["attempts"]]}


@bp.route("/v1/notices/{notice_id}/resend", methods=["POST"])
@guarded
def resend_notice(notice_id: str) -> Response:
    dispatches = services().outbound.endpoints.resend(_seller_id(), notice_id)
    return Response({"id": notice_id, "deliveries": [dispatch_view(d) for d in dispatches]},
                    status_code=202)
