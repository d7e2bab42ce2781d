"""A small notice receiver: verifies each Standard Webhooks signature and prints the notice.

    python -m chalicelib.local.receiver --port 9000 --secret whsec_...

Also the receiver of the tests and the soak: `answers` scripts the status codes it replies
with (500, 500, 200 ...), `delay` makes it slow, `received` keeps what arrived.
"""
from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


@dataclass
class Arrival:
    webhook_id: str
    verified: bool
    body: dict | None
    status: int
    at: float


@dataclass
class Receiver:
    secrets: list[str]
    answers: list[int] = field(default_factory=list)  # consumed one per request; then `default`
    default: int = 200
    delay: float = 0.0
    decide: Callable[[str, dict | None], int | tuple[int, dict]] | None = None
    on_arrival: Callable[[Arrival], None] | None = None
    received: list[Arrival] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    def verify(self, body: bytes, headers: dict) -> dict | None:
        for secret in self.secrets:
            try:
                return Webhook(secret).verify(body, headers)
            except (WebhookVerificationError, ValueError):
                continue
        return None

    def answer(self, webhook_id: str, payload: dict | None) -> tuple[int, dict]:
        with self._lock:
            if self.decide is not None:
                decided = self.decide(webhook_id, payload)
                return decided if isinstance(decided, tuple) else (decided, {})
            return (self.answers.pop(0) if self.answers else self.default), {}

    def start(self, port: int = 0) -> int:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                payload = receiver.verify(body, {k: v for k, v in self.headers.items()})
                webhook_id = self.headers.get("webhook-id", "")
                status, extra = receiver.answer(webhook_id, payload)
                if receiver.delay:
                    time.sleep(receiver.delay)
                arrival = Arrival(webhook_id, payload is not None, payload, status, time.time())
                with receiver._lock:
                    receiver.received.append(arrival)
                if receiver.on_arrival:
                    receiver.on_arrival(arrival)
                self.send_response(status if payload is not None else 401)
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True, name="receiver").start()
        return self._server.server_address[1]

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


def _print(arrival: Arrival) -> None:
    if not arrival.verified:
        print(f"REFUSED {arrival.webhook_id}: signature does not verify", flush=True)
        return
    body = arrival.body or {}
    print(f"{body.get('type')} {arrival.webhook_id} {json.dumps(body.get('data'), sort_keys=True)}",
          flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m chalicelib.local.receiver", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=9000)
    parser.add_argument("--secret", action="append", required=True,
                        help="whsec_ secret of the endpoint (repeat during a rotation)")
    args = parser.parse_args()
    receiver = Receiver(secrets=args.secret, on_arrival=_print)
    port = receiver.start(args.port)
    print(f"receiving notices on http://127.0.0.1:{port}/ (Ctrl-C stops)", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        receiver.stop()
        return 0


if __name__ == "__main__":
    sys.exit(main())
