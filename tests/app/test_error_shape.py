"""Chalice's own refusals (it answers some requests before our views) in the contract's shape."""
from __future__ import annotations

import json


def test_a_content_type_chalice_refuses_is_a_415_in_the_error_shape(client):
    response = client.http.get("/v1/tickets", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415
    body = json.loads(response.body)
    assert body == {"error": {"code": "unsupported_media_type",
                              "message": "Unsupported media type: text/plain", "details": []}}


def test_our_own_error_bodies_pass_through_unchanged(client):
    response = client.http.get("/v1/tickets")
    assert response.status_code == 401
    assert json.loads(response.body)["error"]["code"] == "unauthorized"


def test_a_method_chalice_refuses_is_a_405_with_allow_in_the_error_shape(client):
    response = client.http.delete("/v1/tickets")
    assert (response.status_code, response.headers["Allow"]) == (405, "GET")
    assert json.loads(response.body)["error"]["code"] == "method_not_allowed"
