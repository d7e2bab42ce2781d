"""Response shapes of /v1/endpoints and /v1/notices, and their part of the OpenAPI document."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict


class _Out(BaseModel):
    model_config = ConfigDict(extra="allow")


class EndpointOut(_Out):
    id: str
    url: str
    event_types: list[str]
    status: Literal["enabled", "disabled"]
    last_success_at: str | None
    failing_since: str | None


class EndpointWithSecret(EndpointOut):
    secret: str


class EndpointList(_Out):
    items: list[EndpointOut]


class NoticeOut(_Out):
    id: str
    type: str
    created_at: str
    data: dict[str, Any]


class NoticePage(_Out):
    items: list[NoticeOut]
    next_cursor: str | None


class AttemptOut(_Out):
    at: str
    status_code: int | None
    duration_ms: int
    error: str | None


class DeliveryOut(_Out):
    endpoint_id: str
    state: Literal["pending", "delivered", "exhausted"]
    attempts: list[AttemptOut]


class NoticeDetail(NoticeOut):
    deliveries: list[DeliveryOut]
    attempts: list[AttemptOut]


class Resent(_Out):
    id: str
    deliveries: list[DeliveryOut]


MODELS = {"EndpointOut": EndpointOut, "EndpointWithSecret": EndpointWithSecret,
          "EndpointList": EndpointList, "NoticePage": NoticePage, "NoticeDetail": NoticeDetail,
          "Resent": Resent}


def paths(ok, error, query, secured) -> dict:
    """`ok`, `error`, `query` and `secured` are openapi.py's helpers."""
    endpoint_id = [{"name": "endpoint_id", "in": "path", "required": True, "schema": {"type": "string"}}]
    notice_id = [{"name": "notice_id", "in": "path", "required": True, "schema": {"type": "string"}}]
    auth = {"401": error("Missing or bad API key")}
    missing = {"404": error("No such endpoint or notice for this seller"), **auth}
    new_endpoint = {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "required": ["url"],
        "properties": {"url": {"type": "string", "maxLength": 2048},
                       "event_types": {"type": "array", "items": {"type": "string"}}}}}}}
    return {
        "/v1/endpoints": {
            "post": {"summary": "Register an endpoint for the seller's notices (the secret is shown once)",
                     "security": secured, "requestBody": new_endpoint,
                     "responses": {"201": ok("EndpointWithSecret", "Created"),
                                   "400": error("Bad body, or a URL refused (SSRF rules)"), **auth}},
            "get": {"summary": "The seller's endpoints and their health", "security": secured,
                    "responses": {"200": ok("EndpointList"), **auth}}},
        "/v1/endpoints/{endpoint_id}": {
            "get": {"summary": "One endpoint: status, last success, failing since",
                    "security": secured, "parameters": endpoint_id,
                    "responses": {"200": ok("EndpointOut"), **missing}},
            "delete": {"summary": "Delete an endpoint", "security": secured,
                       "parameters": endpoint_id,
                       "responses": {"204": {"description": "Deleted"}, **missing}}},
        "/v1/endpoints/{endpoint_id}/rotate-secret": {
            "post": {"summary": "A new secret; the old one keeps signing for 24 h",
                     "security": secured, "parameters": endpoint_id,
                     "responses": {"200": ok("EndpointWithSecret"), **missing}}},
        "/v1/notices": {
            "get": {"summary": "The seller's notices, oldest first after the cursor (the polling fallback)",
                    "security": secured,
                    "parameters": [query("after", "next_cursor of the previous page"),
                                   query("type", "only this notice type"),
                                   query("limit", "1 to 100", {"type": "integer", "minimum": 1,
                                                               "maximum": 100})],
                    "responses": {"200": ok("NoticePage"), "400": error("Bad query"), **auth}}},
        "/v1/notices/{notice_id}": {
            "get": {"summary": "One notice and its delivery attempts", "security": secured,
                    "parameters": notice_id, "responses": {"200": ok("NoticeDetail"), **missing}}},
        "/v1/notices/{notice_id}/resend": {
            "post": {"summary": "One more attempt now to the seller's endpoints", "security": secured,
                     "parameters": notice_id,
                     "responses": {"202": ok("Resent", "Accepted"), **missing}}},
    }
