"""The OpenAPI 3 document, built from the pydantic models and the route table."""
from __future__ import annotations

import functools

from pydantic import BaseModel, TypeAdapter

from . import schemas, wire_notices, wire_out, wire_summary

REF = "#/components/schemas/{model}"


def _error(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": REF.format(model="ErrorBody")}}}}


def _ok(model: str, description: str = "OK") -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": REF.format(model=model)}}}}


def _query(name: str, description: str, schema: dict | None = None) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema or {"type": "string"}}


SECURED = [{"apiKey": []}]
WEBHOOK_HEADERS = [{"name": n, "in": "header", "required": True, "schema": {"type": "string"}}
                   for n in ("webhook-id", "webhook-timestamp", "webhook-signature")]


def _paths() -> dict:
    return {
        "/webhooks/{marketplace}": {"post": {
            "summary": "Receive a signed marketplace event (Standard Webhooks)",
            "parameters": [{"name": "marketplace", "in": "path", "required": True,
                            "schema": {"type": "string"}}] + WEBHOOK_HEADERS,
            "requestBody": {"required": True, "content": {"application/json": {
                "schema": {"$ref": REF.format(model="WebhookEvent")}}}},
            "responses": {"200": _ok("WebhookResponse"), "400": _error("Invalid body"),
                          "401": _error("Bad signature"), "404": _error("Unknown marketplace"),
                          "409": _error("webhook-id reused with another body"),
                          "413": _error("Body too large"), "415": _error("Not JSON"),
                          "503": _error("Dependency failed; retry")}}},
        "/v1/tickets": {"get": {
            "summary": "The seller's tickets, newest first", "security": SECURED,
            "parameters": [_query("status", "open, closed or rejected",
                                  {"type": "string", "enum": ["open", "closed", "rejected"]}),
                           _query("product_id", "only this product"),
                           _query("customer_id", "only this customer"),
                           _query("limit", "page size (1-200)",
                                  {"type": "integer", "minimum": 1, "maximum": 200}),
                           _query("due_before", "only tickets with a timer due before this time",
                                  {"type": "string", "format": "date-time"}),
                           _query("cursor", "next_cursor of the previous page")],
            "responses": {"200": _ok("TicketPage"), "400": _error("Bad query"),
                          "401": _error("Missing or bad API key")}}},
        "/v1/tickets/{ticket_id}": {"get": {
            "summary": "One ticket with messages, decisions, SLA clocks and timers",
            "security": SECURED,
            "parameters": [{"name": "ticket_id", "in": "path", "required": True,
                            "schema": {"type": "string"}}],
            "responses": {"200": _ok("TicketDetail"), "401": _error("Missing or bad API key"),
                          "404": _error("No such ticket for this seller")}}},
        "/v1/tickets/{ticket_id}/credentials": {"get": {
            "summary": "CRJ-3: the credentials the customer shared, decrypted, while the ticket is open (audited)",
            "security": SECURED,
            "parameters": [{"name": "ticket_id", "in": "path", "required": True,
                            "schema": {"type": "string"}}],
            "responses": {"200": _ok("Credentials"), "401": _error("Missing or bad API key"),
                          "404": _error("No such open ticket for this seller")}}},
        "/v1/sla": {"get": {
            "summary": "SLA compliance over the seller's tickets opened in [since, until)",
            "security": SECURED,
            "parameters": [_query("since", "RFC 3339", {"type": "string", "format": "date-time"}),
                           _query("until", "RFC 3339", {"type": "string", "format": "date-time"})],
            "responses": {"200": _ok("SlaReport"), "400": _error("Bad query"),
                          "401": _error("Missing or bad API key")}}},
        "/v1/sla/summary": {"get": {
            "summary": "Where the seller stands: open tickets, deadlines, at-risk and breached "
                       "clocks, compliance per rule, refunds and coverage ending, endpoint health",
            "security": SECURED,
            "responses": {"200": _ok("SlaSummary"), "401": _error("Missing or bad API key")}}},
        "/dashboard": {"get": {
            "summary": "The seller page (HTML; asks for the API key in the browser, no key to load it)",
            "responses": {"200": {"description": "HTML page", "content": {"text/html": {
                "schema": {"type": "string"}}}}}}},
        "/dashboard/{name}": {"get": {
            "summary": "The seller page's script, style sheet and icon",
            "parameters": [{"name": "name", "in": "path", "required": True,
                            "schema": {"type": "string", "enum": ["app.js", "app.css", "icon.svg"]}}],
            "responses": {"200": {"description": "The asset", "content": {
                "text/javascript": {"schema": {"type": "string"}},
                "text/css": {"schema": {"type": "string"}},
                "image/svg+xml": {"schema": {"type": "string"}}}},
                "404": _error("No such asset")}}},
        "/v1/support-hours": {"get": {
            "summary": "Live support hours (CRJ-6): open now, next opening, calendar",
            "security": SECURED,
            "parameters": [_query("marketplace", "needed when the seller has no profile of its own")],
            "responses": {"200": _ok("SupportHours"), "400": _error("Bad query"),
                          "401": _error("Missing or bad API key"),
                          "404": _error("No support hours in this profile")}}},
        "/v1/entitlements": {"get": {
            "summary": "Whether a customer is covered, until when, and which rule and payment say so",
            "security": SECURED,
            "parameters": [{**_query("customer_id", "the customer"), "required": True},
                           _query("product_id", "only this product")],
            "responses": {"200": _ok("Entitlements"), "400": _error("Bad query"),
                          "401": _error("Missing or bad API key")}}},
        **wire_notices.paths(_ok, _error, _query, SECURED),
        "/health": {"get": {"summary": "Liveness", "responses": {"200": _ok("Health")}}},
        "/openapi.json": {"get": {"summary": "This document",
                                  "responses": {"200": {"description": "OpenAPI 3 document"}}}},
    }


def _schemas() -> dict:
    models: dict[str, type[BaseModel] | TypeAdapter] = {
        "WebhookEvent": TypeAdapter(schemas.WebhookEvent), **wire_out.MODELS,
        **wire_notices.MODELS, **wire_summary.MODELS}
    components: dict = {}
    for name, model in models.items():
        adapter = model if isinstance(model, TypeAdapter) else TypeAdapter(model)
        schema = adapter.json_schema(ref_template=REF)
        components.update(schema.pop("$defs", {}))
        components[name] = schema
    return components


@functools.lru_cache(maxsize=1)
def openapi_document() -> dict:
    return {"openapi": "3.1.0",
            "info": {"title": "Ticketwarden", "version": "1.0.0",
                     "description": "Support-policy engine: signed marketplace webhooks in, "
                                    "decisions and a seller status API out."},
            "paths": _paths(),
            "components": {"schemas": _schemas(), "securitySchemes": {
                "apiKey": {"type": "http", "scheme": "bearer"}}}}
