"""The HTTP API front (deploy/merge-template.yaml, ApiFront=http): events in API Gateway's
HTTP API payload format 1.0 reach every Chalice route; a catch-all route would not.

The event shape is the payload 1.0 example of AWS's "Working with AWS Lambda proxy
integrations for HTTP APIs", filled in as the HTTP API sends it for a matched route:
`resource` and `requestContext.resourcePath` are the route's path (`/webhooks/{marketplace}`)
and `path` the request path, here with the stage the template names `api`. (`resourceId`,
null in the AWS example, is set to the route key here; Chalice reads neither it nor `path`.)
Chalice routes on resourcePath and the method, so this is what the packaged template's one
route per Chalice route (scripts/http_api.py) relies on; tests/test_package.py checks the
template side.
"""
from __future__ import annotations

import base64
import json
import re

import pytest
from chalice.local import LambdaContext

from tests.builders import encode, message_event, signed_headers
from tests.fakes import ACME_KEY
from tests.moto_app import moto_client

STAGE = "api"
# One request per Chalice route: (path parameters, authenticated?, body) and the outcome that
# proves the route's own view answered. Unauthenticated /v1 requests get the app's own 401: a
# view ran (Chalice's own refusals never say "unauthorized"). tests below fail when a route is
# added to the app and not here.
PUBLIC = {
    ("GET", "/health"): ({}, 200),
    ("GET", "/openapi.json"): ({}, 200),
    ("GET", "/dashboard"): ({}, 200),
    ("GET", "/dashboard/{name}"): ({"name": "app.js"}, 200),
}
WEBHOOK = ("POST", "/webhooks/{marketplace}")
KEYED = {  # path parameters of the seller API's routes
    ("GET", "/v1/tickets"): {},
    ("GET", "/v1/tickets/{ticket_id}"): {"ticket_id": "tkt_000001"},
    ("GET", "/v1/tickets/{ticket_id}/credentials"): {"ticket_id": "tkt_000001"},
    ("GET", "/v1/sla"): {},
    ("GET", "/v1/sla/summary"): {},
    ("GET", "/v1/support-hours"): {},
    ("GET", "/v1/entitlements"): {},
    ("POST", "/v1/endpoints"): {},
    ("GET", "/v1/endpoints"): {},
    ("GET", "/v1/endpoints/{endpoint_id}"): {"endpoint_id": "ep_000001"},
    ("DELETE", "/v1/endpoints/{endpoint_id}"): {"endpoint_id": "ep_000001"},
    ("POST", "/v1/endpoints/{endpoint_id}/rotate-secret"): {"endpoint_id": "ep_000001"},
    ("GET", "/v1/notices"): {},
    ("GET", "/v1/notices/{notice_id}"): {"notice_id": "ntc_000001"},
    ("POST", "/v1/notices/{notice_id}/resend"): {"notice_id": "ntc_000001"},
}
ALL = sorted({**PUBLIC, WEBHOOK: None, **KEYED})


def http_api_v1_event(method: str, resource: str, path_parameters: dict | None = None, *,
                      headers: dict | None = None, body: bytes | str | None = None,
                      query: dict[str, list[str]] | None = None, base64_body: bool = False,
                      route_key: str | None = None) -> dict:
    """An API Gateway HTTP API event, payload format version 1.0, for a matched route."""
    path_parameters = path_parameters or None
    path = re.sub(r"\{(\w+)\+?\}", lambda m: path_parameters[m[1]], resource) \
        if path_parameters else resource
    headers = {"accept": "*/*", "host": "abcdef1234.execute-api.us-east-1.amazonaws.com",
               "user-agent": "curl/8.5.0",
               "x-amzn-trace-id": "Root=1-5e6722a7-cc56xmpl46db7ae02d4da47e",
               "x-forwarded-for": "198.51.100.7", "x-forwarded-port": "443",
               "x-forwarded-proto": "https", **{k.lower(): v for k, v in (headers or {}).items()}}
    if isinstance(body, bytes):
        body = base64.b64encode(body).decode() if base64_body else body.decode("utf-8")
    if body is not None:
        headers["content-length"] = str(len(body))
    return {
        "version": "1.0",
        "resource": resource,
        "path": f"/{STAGE}{path}",
        "httpMethod": method,
        "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": {k: v[-1] for k, v in query.items()} if query else None,
        "multiValueQueryStringParameters": query or None,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "abcdef1234",
            "authorizer": {"claims": None, "scope": None},
            "domainName": "abcdef1234.execute-api.us-east-1.amazonaws.com",
            "domainPrefix": "abcdef1234",
            "extendedRequestId": "JTHd9hvLoAMEPRQ=",
            "httpMethod": method,
            "identity": {"accessKey": None, "accountId": None, "caller": None,
                         "cognitoAuthenticationProvider": None,
                         "cognitoAuthenticationType": None, "cognitoIdentityId": None,
                         "cognitoIdentityPoolId": None, "principalOrgId": None,
                         "sourceIp": "198.51.100.7", "user": None, "userAgent": "curl/8.5.0",
                         "userArn": None, "clientCert": None},
            "path": f"/{STAGE}{path}",
            "protocol": "HTTP/1.1",
            "requestId": "JTHd9hvLoAMEPRQ=",
            "requestTime": "23/Nov/2026:09:00:00 +0000",
            "requestTimeEpoch": 1795424400000,
            "resourceId": route_key or f"{method} {resource}",
            "resourcePath": resource,
            "stage": STAGE,
        },
        "pathParameters": path_parameters,
        "stageVariables": None,
        "body": body,
        "isBase64Encoded": base64_body,
    }


def lambda_context() -> LambdaContext:
    return LambdaContext("ticketwarden-dev-api", 512, 28_000)


def invoke(event: dict) -> tuple[int, dict, str]:
    import app
    response = app.app(event, lambda_context())
    body = response["body"]
    if response.get("isBase64Encoded"):
        body = base64.b64decode(body).decode("utf-8")
    return response["statusCode"], response["headers"], body


def error_code(body: str) -> str:
    document = json.loads(body)
    assert set(document) == {"error"} and set(document["error"]) == {"code", "message", "details"}
    return document["error"]["code"]


def app_routes() -> set[tuple[str, str]]:
    import app
    return {(method, path) for path, methods in app.app.routes.items() for method in methods}


# ------------------------------------------------------------------ every route is reached

def test_every_chalice_route_has_an_http_api_event_here(client):
    assert set(ALL) == app_routes()


@pytest.mark.parametrize("method,resource", ALL, ids=[f"{m} {p}" for m, p in ALL])
def test_an_http_api_v1_event_reaches_the_route_s_own_view(client, method, resource):
    if (method, resource) == WEBHOOK:
        body = encode(message_event())
        event = http_api_v1_event(method, resource, {"marketplace": "cmsmart"},
                                  headers=signed_headers(body), body=body)
        status, _, text = invoke(event)
        assert status in (200, 201, 202), text
        document = json.loads(text)
        assert document["duplicate"] is False and document["ticket"]["thread_id"] == "thread-1"
        return
    if (method, resource) in PUBLIC:
        parameters, expected = PUBLIC[method, resource]
        status, headers, text = invoke(http_api_v1_event(method, resource, parameters))
        assert status == expected, text
        if resource == "/health":
            assert json.loads(text) == {"status": "ok"}
        if resource == "/openapi.json":
            assert "/webhooks/{marketplace}" in json.loads(text)["paths"]
        if resource == "/dashboard/{name}":
            assert headers["Content-Type"].startswith("text/javascript")
        return
    body = b"{}" if method == "POST" else None
    event = http_api_v1_event(method, resource, KEYED[method, resource], body=body,
                              headers={"content-type": "application/json"} if body else None)
    status, _, text = invoke(event)
    assert (status, error_code(text)) == (401, "unauthorized")


@pytest.mark.parametrize("method,resource", sorted(KEYED),
                         ids=[f"{m} {p}" for m, p in sorted(KEYED)])
def test_with_a_key_the_seller_api_answers_from_its_views(client, method, resource):
    """Authenticated: a success, or the app's own refusal of a made-up id or an empty body."""
    body = b"{}" if method == "POST" else None
    headers = {"authorization": f"Bearer {ACME_KEY}",
               **({"content-type": "application/json"} if body else {})}
    status, _, text = invoke(http_api_v1_event(method, resource, KEYED[method, resource],
                                               headers=headers, body=body))
    assert status not in (403, 405, 500), text
    if status >= 400:
        code = error_code(text)
        assert code in {"not_found", "invalid_request"}, text  # about the id or the body
        if status == 404:  # the view's own lookup of the path parameter: "no ticket 'tkt_...'"
            assert json.loads(text)["error"]["message"].startswith("no "), text
    else:
        json.loads(text)


def test_query_strings_arrive_in_the_v1_multi_value_form(client):
    event = http_api_v1_event("GET", "/v1/tickets", headers={"authorization": f"Bearer {ACME_KEY}"},
                              query={"limit": ["not-a-number"]})
    status, _, text = invoke(event)
    assert (status, error_code(text)) == (400, "invalid_request")


def test_a_base64_encoded_body_is_decoded_before_the_signature_check(client):
    """HTTP APIs base64-encode bodies they do not take for text; the signature still holds."""
    body = encode(message_event())
    event = http_api_v1_event(*WEBHOOK, {"marketplace": "cmsmart"}, headers=signed_headers(body),
                              body=body, base64_body=True)
    status, _, text = invoke(event)
    assert status in (200, 201, 202), text


def test_on_dynamodb_and_kms_too_a_webhook_then_its_ticket(aws_env):
    """The same events against the app on moto (the adapters Lambda runs), not the fakes."""
    with moto_client() as (_, calls, _services):
        body = encode(message_event(thread_id="thread-http"))
        event = http_api_v1_event(*WEBHOOK, {"marketplace": "cmsmart"},
                                  headers=signed_headers(body), body=body)
        status, _, text = invoke(event)
        assert status in (200, 201, 202), text
        ticket_id = json.loads(text)["ticket"]["id"]
        assert calls["dynamodb"] > 0
        status, _, text = invoke(http_api_v1_event(
            "GET", "/v1/tickets/{ticket_id}", {"ticket_id": ticket_id},
            headers={"authorization": f"Bearer {ACME_KEY}"}))
        assert status == 200, text
        assert json.loads(text)["thread_id"] == "thread-http"


def test_an_unknown_marketplace_is_the_app_s_own_404(client):
    body = encode(message_event())
    event = http_api_v1_event(*WEBHOOK, {"marketplace": "nowhere"}, headers=signed_headers(body),
                              body=body)
    status, _, text = invoke(event)
    assert (status, error_code(text)) == (404, "unknown_marketplace")


def test_a_method_the_route_lacks_is_chalice_s_405(client):
    """Unreachable through the template (the HTTP API only forwards route keys it has)."""
    status, headers, text = invoke(http_api_v1_event("PUT", "/v1/tickets"))
    assert (status, headers["Allow"], error_code(text)) == (405, "GET", "method_not_allowed")


# ------------------------------------------------------------------ why no catch-all route

@pytest.fixture
def routes_untouched():
    """Chalice's route table is a defaultdict: an unknown resourcePath adds an empty entry."""
    import app
    before = set(app.app.routes)
    yield
    for added in set(app.app.routes) - before:
        del app.app.routes[added]


@pytest.mark.parametrize("route_key,resource", [("ANY /{proxy+}", "/{proxy+}"),
                                                ("$default", "$default")])
def test_a_catch_all_route_would_make_chalice_refuse_every_request(client, routes_untouched,
                                                                   route_key, resource):
    """With `ANY /{proxy+}` or `$default` the event's resource and resourcePath are the
    catch-all, no route of the app: Chalice answers 405 before any view runs, for a request
    that would have been served. This is why the template has one route per Chalice route."""
    event = http_api_v1_event("GET", "/health", route_key=route_key)
    event["resource"] = event["requestContext"]["resourcePath"] = resource
    event["pathParameters"] = {"proxy": "health"} if "proxy" in resource else None
    status, _, text = invoke(event)
    assert status == 405 and error_code(text) == "method_not_allowed", text
    assert invoke(http_api_v1_event("GET", "/health"))[0] == 200  # the matched route: served
