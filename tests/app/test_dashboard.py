"""GET /dashboard and its assets: strict headers, no inline script, nothing from elsewhere."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from tests import fakes

ASSETS = {"app.js": "text/javascript", "app.css": "text/css", "icon.svg": "image/svg+xml"}


@pytest.fixture
def services():
    return fakes.build()


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def page(client, path="/dashboard"):
    response = client.http.get(path)
    assert response.status_code == 200, response.body
    return response


def test_the_page_loads_without_a_key_and_forbids_framing_and_inline_code(client):
    response = page(client)
    headers = {k.lower(): v for k, v in response.headers.items()}
    assert headers["content-type"].startswith("text/html")
    csp = dict(part.strip().split(" ", 1) for part in headers["content-security-policy"].split(";"))
    assert csp["default-src"] == "'none'" and csp["script-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'" and csp["form-action"] == "'none'"
    assert "unsafe" not in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


def test_the_html_has_no_inline_script_style_or_outside_url(client):
    html = page(client).body.decode()
    parser = Tags()
    parser.feed(html)
    scripts = [attrs for tag, attrs in parser.tags if tag == "script"]
    assert scripts and all(a.get("src", "").startswith("/dashboard/") for a in scripts)
    assert not [t for t, a in parser.tags if t == "style" or "style" in a]
    assert not [a for _, a in parser.tags if any(name.startswith("on") for name in a)]
    assert not re.search(r"(src|href)=\"(https?:)?//", html)


def test_every_control_has_a_label(client):
    parser = Tags()
    parser.feed(page(client).body.decode())
    labelled = {a["for"] for t, a in parser.tags if t == "label"}
    for tag, attrs in parser.tags:
        if tag in ("input", "select", "textarea"):
            assert attrs.get("id") in labelled, f"{tag}#{attrs.get('id')} has no <label for>"


@pytest.mark.parametrize("name", sorted(ASSETS))
def test_assets_are_served_with_their_type_and_the_same_policy(client, name):
    response = page(client, f"/dashboard/{name}")
    headers = {k.lower(): v for k, v in response.headers.items()}
    assert headers["content-type"].startswith(ASSETS[name])
    assert headers["x-content-type-options"] == "nosniff"


def test_an_unknown_asset_is_a_404_with_the_error_shape(client):
    response = client.http.get("/dashboard/..%2Fapp.py")
    assert response.status_code == 404
    assert json.loads(response.body)["error"]["code"] == "not_found"


def test_the_script_keeps_the_key_in_session_storage_and_headers_only(client):
    script = page(client, "/dashboard/app.js").body.decode()
    assert "sessionStorage" in script and "localStorage" not in script and "document.cookie" not in script
    assert "innerHTML" not in script and "eval(" not in script
    assert '"Authorization": "Bearer " + key' in script
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", script)
