"""GET /dashboard: the seller page and its assets, served by the app with a strict policy.

The page holds no data: its script reads the /v1 routes with the key the seller types in,
so the /v1 routes alone decide what a key may see. No inline script or style, nothing from
another origin, no framing, and forms cannot submit anywhere (the key never lands in a URL).
"""
from __future__ import annotations

import functools
from importlib import resources

from chalice import Blueprint, Response

from .errors import error_response

bp = Blueprint(__name__)
ASSETS = {"app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8",
          "icon.svg": "image/svg+xml"}
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {"Content-Security-Policy": CSP, "X-Frame-Options": "DENY",
                    "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
                    "Cross-Origin-Opener-Policy": "same-origin",
                    "Cross-Origin-Resource-Policy": "same-origin",
                    "Permissions-Policy": "camera=(), microphone=(), geolocation=()"}


@functools.lru_cache(maxsize=None)
def asset(name: str) -> str:
    """Package data under chalicelib/dashboard/, read once per container."""
    return resources.files("chalicelib").joinpath("dashboard", name).read_text(encoding="utf-8")


def _page(body: str, content_type: str, cache: str) -> Response:
    return Response(body=body, status_code=200,
                    headers={**SECURITY_HEADERS, "Content-Type": content_type, "Cache-Control": cache})


@bp.route("/dashboard", methods=["GET"])
def dashboard() -> Response:
    return _page(asset("index.html"), "text/html; charset=utf-8", "no-store")


@bp.route("/dashboard/{name}", methods=["GET"])
def dashboard_asset(name: str) -> Response:
    if name not in ASSETS:
        response = error_response(404, "not_found", f"no dashboard asset '{name[:64]}'")
        response.headers.update(SECURITY_HEADERS)
        return response
    return _page(asset(name), ASSETS[name], "no-cache")
