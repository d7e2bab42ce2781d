"""POST a signed notice over HTTP(S) to the address the URL guard approved; no redirects."""
from __future__ import annotations

import http.client
import socket
import ssl
import time
from typing import Mapping

from chalicelib.domain.errors import UnsafeUrlError
from chalicelib.domain.outbound import TIMEOUT_SECONDS
from chalicelib.services.outbound_ports import WireAnswer

from .url_guard import Target, UrlGuard

MAX_ERROR = 200


class _PinnedHTTPS(http.client.HTTPSConnection):
    """Connects to the approved IP while TLS verifies the certificate for the host name."""

    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout,
                         context=ssl.create_default_context())
        self._address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class HttpSender:
    def __init__(self, guard: UrlGuard, timeout: float = TIMEOUT_SECONDS,
                 monotonic=time.monotonic):
        self._guard = guard
        self._timeout = timeout
        self._monotonic = monotonic

    def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> WireAnswer:
        started = self._monotonic()
        try:
            target = self._guard.target(url)  # again at each connection: DNS can change
        except UnsafeUrlError as exc:
            return WireAnswer(None, 0, f"refused: {exc.reason}"[:MAX_ERROR])
        cls = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
        connection = cls(target, self._timeout)
        try:
            connection.request("POST", target.path, body=body, headers=dict(headers))
            response = connection.getresponse()
            response.read(64 * 1024)  # the answer's body is not ours to keep
            status, retry_after = response.status, _retry_after(response.getheader("Retry-After"))
        except (OSError, http.client.HTTPException) as exc:
            return WireAnswer(None, self._ms(started), _describe(exc))
        finally:
            connection.close()
        error = None if 200 <= status < 300 else _status_error(status)
        return WireAnswer(status, self._ms(started), error, retry_after)

    def _ms(self, started: float) -> int:
        return int((self._monotonic() - started) * 1000)


def _status_error(status: int) -> str:
    if 300 <= status < 400:
        return f"HTTP {status}: redirects are not followed"
    return f"HTTP {status}"


def _retry_after(value: str | None) -> float | None:
    """Seconds only (the HTTP-date form is rare for webhooks): anything else is ignored."""
    try:
        return float(value) if value is not None and float(value) >= 0 else None
    except ValueError:
        return None


def _describe(exc: Exception) -> str:
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return "timed out"
    return f"{type(exc).__name__}: {exc}"[:MAX_ERROR]
