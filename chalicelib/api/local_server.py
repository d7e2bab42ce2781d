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
import sys
from pathlib import Path

from chalice import local
from chalice.cli import validate_routes
from chalice.cli.factory import CLIFactory

from chalicelib.local.notifier import start_stream_pump
from chalicelib.local.timers import start_pump

from . import local as local_routes
from . import notifier
from .context import services
from .timers import parse_timer_input

ROOT = Path(__file__).resolve().parents[2]


class BurstTolerantServer(local.ThreadedHTTPServer):
    request_queue_size = 256


class RequestHandler(local.ChaliceRequestHandler):
    """Methods API Gateway would refuse get the contract's error shape, not http.server's 501."""

    def _method_not_allowed(self) -> None:
        body = json.dumps({"error": {"code": "method_not_allowed", "details": [],
                                     "message": f"method {self.command} is not allowed"}}).encode()
        self.send_response(405)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_TRACE = do_CONNECT = _method_not_allowed

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
    pump, stop = start_pump(wiring, parse_timer_input, wiring.settings.schedule_group)
    local_routes.use_pump(pump)
    stream_stop = start_stream_pump(notifier.handle, wiring.settings.table_name)
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
    serve(args.host, args.port, args.stage)


if __name__ == "__main__":
    main()
