"""What API Gateway would decide before the Lambda runs answers the contract's error body too."""
from __future__ import annotations

import http.client
import json
import socket
from urllib.parse import urlsplit

import pytest
import requests

from chalicelib.api.wire_out import ErrorBody

pytestmark = [pytest.mark.e2e]


def _error(response: requests.Response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/json"
    body = ErrorBody.model_validate(response.json()).model_dump()
    assert body["error"]["code"] == code
    return body


def test_an_unknown_route_is_a_404_not_a_403(local_stack):
    _error(requests.get(f"{local_stack}/v2/nothing-here?x=1", timeout=10), 404, "not_found")
    _error(requests.post(f"{local_stack}/webhooks", data=b"{}", timeout=10), 404, "not_found")


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "POST", "TRACE"])
def test_a_method_the_route_lacks_is_a_405_with_allow(local_stack, method):
    response = requests.request(method, f"{local_stack}/v1/tickets", timeout=10)
    _error(response, 405, "method_not_allowed")
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS"


def test_options_lists_the_methods_and_head_is_the_get_without_a_body(local_stack):
    options = requests.options(f"{local_stack}/webhooks/cmsmart", timeout=10)
    assert (options.status_code, options.headers["Allow"]) == (204, "OPTIONS, POST")
    get, head = (requests.request(m, f"{local_stack}/health", timeout=10) for m in ("GET", "HEAD"))
    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["Content-Length"] == str(len(get.content))
    refused = requests.head(f"{local_stack}/webhooks/cmsmart", timeout=10)
    assert (refused.status_code, refused.content, refused.headers["Allow"]) == (
        405, b"", "OPTIONS, POST")


def test_an_unknown_method_and_an_oversized_header_get_json_not_html(local_stack):
    _error(requests.request("FROB", f"{local_stack}/health", timeout=10), 501, "not_implemented")
    address = urlsplit(local_stack)
    with socket.create_connection((address.hostname, address.port), timeout=10) as raw:
        raw.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 70_000 + b"\r\n\r\n")
        response = http.client.HTTPResponse(raw)
        response.begin()
        assert (response.status, response.getheader("Content-Type")) == (431, "application/json")
        body = json.loads(response.read())
    assert body["error"]["code"] == "request_header_fields_too_large"


def test_the_local_routes_answer_the_error_shape(local_stack):
    form = requests.post(f"{local_stack}/_local/clock", data="advance_seconds=1",
                         headers={"Content-Type": "application/x-www-form-urlencoded"}, timeout=10)
    _error(form, 415, "unsupported_media_type")
    bad = requests.post(f"{local_stack}/_local/clock", json={"advance_seconds": -1}, timeout=10)
    _error(bad, 400, "invalid_request")


def test_a_refused_request_with_a_body_leaves_the_keep_alive_connection_usable(local_stack):
    with requests.Session() as session:
        for _ in range(3):
            response = session.put(f"{local_stack}/v1/tickets", data=b'{"x": 1}' * 100, timeout=10)
            _error(response, 405, "method_not_allowed")
            _error(session.post(f"{local_stack}/nowhere", data=b"{}", timeout=10), 404, "not_found")
        assert session.get(f"{local_stack}/health", timeout=10).status_code == 200
