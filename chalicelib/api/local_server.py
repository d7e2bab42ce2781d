"""`chalice local`, with a listen backlog sized for bursts of concurrent marketplace deliveries.

The stock server listens with a backlog of 5, so a burst of 20+ simultaneous webhooks gets
connection resets; otherwise this is exactly what `chalice local --no-autoreload` runs.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import socket
from http import HTTPStatus
import sys
from pathlib import Path
from urllib.parse import urlsplit

from chalice import local
from chalice.cli import validate_routes
from chalice.cli.factory import CLIFactory

from chalicelib.local import console
from chalicelib.local.notifier import start_stream_pump
from chalicelib.local.timers import start_pump

from . import local as local_routes
from . import notifier
from .context import services
from .timers import parse_timer_input

ROOT = Path(__file__).resolve().parents[2]


MAX_DISCARDED_BYTES = 1024 * 1024


class BurstTolerantServer(local.ThreadedHTTPServer):
    request_queue_size = 256

    def handle_error(self, request, client_address) -> None:
        """A client that hung up (a health probe's timeout) is not worth a traceback."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class RequestHandler(local.ChaliceRequestHandler):
    """What API Gateway decides before the Lambda runs, answered in the contract's error shape.

    Unknown paths are a 404 (not API Gateway's 403 "Missing Authentication Token"), methods a
    route lacks a 405 with `Allow`, OPTIONS a 204 with `Allow`, HEAD the GET without its body,
    and http.server's own refusals (431 headers too large, 414, 400, 501) JSON instead of HTML.
    """

    def __init__(self, request, client_address, server, app_object, config):
        self._routes = app_object.routes
        self._matcher = local.RouteMatcher(list(app_object.routes))
        self._head = False
        super().__init__(request, client_address, server, app_object, config)

    def _routed(self) -> None:
        method, self._answer = self.command, (0, b"")
        try:
            self._dispatch()
        finally:
            self._log_line(method)

    def _dispatch(self) -> None:
        try:
            route = self._matcher.match_route(self.path).route
        except ValueError:
            self._discard_body()
            return self._send_json_error(404, "not_found",
                                        f"no route {self.command} {urlsplit(self.path).path}")
        methods = set(self._routes[route]) | ({"HEAD"} if "GET" in self._routes[route] else set())
        allow = ", ".join(sorted(methods | {"OPTIONS"}))
        if self.command == "OPTIONS" or self.command not in methods:
            self._discard_body()
        if self.command == "OPTIONS":
            return self._send_http_response_no_body(204, {"Allow": allow})
        if self.command not in methods:
            return self._send_json_error(405, "method_not_allowed",
                                         f"method {self.command} is not allowed on {route}",
                                         {"Allow": allow})
        self._head = self.command == "HEAD"
        if self._head:
            self.command = "GET"
        self._generic_handle()

    do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = do_PATCH = do_OPTIONS = _routed
    do_TRACE = do_CONNECT = _routed

    def _discard_body(self) -> None:
        """A request answered before its body is read: read it, or the next keep-alive request
        would start in the middle of it (a body too large to bother with closes instead)."""
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if 0 <= length <= MAX_DISCARDED_BYTES:
            self.rfile.read(length)
        else:
            self.close_connection = True

    def _log_line(self, method: str) -> None:
        """One readable line per request; a webhook's says what was decided."""
        status, body = self._answer
        path = urlsplit(self.path).path
        if method == "POST" and path.startswith("/webhooks/"):
            try:
                answer = json.loads(body)
            except ValueError:
                answer = {}
            line = console.webhook_line(path.rsplit("/", 1)[-1],
                                        self.headers.get("webhook-id", "-"), status,
                                        answer if isinstance(answer, dict) else {})
        else:
            line = console.request_line(method, path, status)
        print(line, flush=True)

    def log_request(self, code="-", size="-") -> None:
        """Replaced by `_log_line`."""

    def _send_http_response(self, code, headers, body) -> None:
        self._answer = (code, body if isinstance(body, bytes) else (body or "").encode("utf-8"))
        super()._send_http_response(code, headers, body)

    def _send_http_response_with_body(self, code, headers, body) -> None:
        """A HEAD answer carries the GET's headers (Content-Length included), never its body."""
        self._answer = (code, body if isinstance(body, bytes) else body.encode("utf-8"))
        if not self._head:
            return super()._send_http_response_with_body(code, headers, body)
        body = body if isinstance(body, bytes) else body.encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Type", headers.pop("Content-Type", "application/json"))
        self._send_headers(headers)

    def _send_json_error(self, status: int, code: str, message: str,
                         headers: dict | None = None) -> None:
        body = json.dumps({"error": {"code": code, "message": message, "details": []}}).encode()
        self._head = self.command == "HEAD"
        self._send_http_response_with_body(status, {"Content-Type": "application/json",
                                                    **(headers or {})}, body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's refusals (431, 414, 400, 501) in the error shape; the connection closes."""
        status = HTTPStatus(code)
        self.close_connection = True
        body = json.dumps({"error": {"code": status.phrase.lower().replace(" ", "_"),
                                     "message": message or status.phrase, "details": []}}).encode()
        self.send_response(code, message)
        self.send_header("Connection", "close")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and code >= 200 and code not in (204, 304):
            self.wfile.write(body)

    def setup(self) -> None:
        """No Nagle delay: keep-alive clients otherwise wait ~40 ms on every request."""
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def serve(host: str, port: int, stage: str) -> None:
    factory = CLIFactory(str(ROOT), debug=False, environ=os.environ)
    config = factory.create_config_obj(chalice_stage_name=stage)  # applies the stage's env vars
    app = config.chalice_app
    validate_routes(app.routes)
    local.CustomLocalChalice.__bases__ = (local.LocalChalice, app.__class__)
    app.__class__ = local.CustomLocalChalice
    server = local.LocalDevServer(app, config, host, port, server_cls=BurstTolerantServer,
                                  handler_cls=RequestHandler)
    wiring = services()
    stream, stream_stop = start_stream_pump(notifier.handle, wiring.settings.table_name)
    pump, stop = start_pump(wiring, parse_timer_input, wiring.settings.schedule_group,
                            settle=stream.drain)
    local_routes.use_pump(pump)
    try:
        server.serve_forever()
    finally:
        stop.set()
        stream_stop.set()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--stage", default="local")
    args = parser.parse_args()
    logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(message)s")
    logging.getLogger("botocore").setLevel(logging.WARNING)  # "Found credentials ..." per client
    try:
        serve(args.host, args.port, args.stage)
    except KeyboardInterrupt:  # make run stops us with SIGINT: no traceback
        pass


if __name__ == "__main__":
    main()
