"""No SSRF: an endpoint URL must reach a public https address (local mode: also 127.0.0.1/localhost).

Checked at registration and again at each connection (DNS can change between the two): the
sender connects to the very address this module approved.
"""
from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from chalicelib.domain.errors import UnsafeUrlError

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254"),
            ipaddress.ip_address("100.100.100.200")}
MAX_URL_LENGTH = 2048
_HOST_NAME = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$")


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str  # the approved IP to connect to


def refusal(address: str) -> str | None:
    """Why this IP may not be connected to, or None if it is a public address."""
    ip = ipaddress.ip_address(address)
    if getattr(ip, "ipv4_mapped", None):
        ip = ip.ipv4_mapped
    checks = ((ip in METADATA, "a cloud metadata address"), (ip.is_loopback, "a loopback address"),
              (ip.is_link_local, "a link-local address"), (ip.is_multicast, "a multicast address"),
              (ip.is_private, "a private address"), (ip.is_unspecified, "an unspecified address"),
              (ip.is_reserved, "a reserved address"), (not ip.is_global, "not a public address"))
    return next((f"{address} is {why}" for bad, why in checks if bad), None)


class UrlGuard:
    def __init__(self, allow_local: bool = False, resolve=socket.getaddrinfo):
        self._allow_local = allow_local
        self._resolve = resolve

    def check(self, url: str) -> None:
        self.target(url)

    def target(self, url: str) -> Target:
        if len(url) > MAX_URL_LENGTH:
            raise UnsafeUrlError(f"longer than {MAX_URL_LENGTH} characters")
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if not host:
            raise UnsafeUrlError("no host")
        if parts.username or parts.password:
            raise UnsafeUrlError("credentials in the URL are not allowed")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as exc:
            raise UnsafeUrlError("bad port") from exc
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        if self._allow_local and host in LOCAL_HOSTS and parts.scheme in ("http", "https"):
            return Target(parts.scheme, host, port, path, "127.0.0.1")
        if parts.scheme != "https":
            raise UnsafeUrlError("must be https")
        return Target("https", host, port, path, self._public_address(host, port))

    def _public_address(self, host: str, port: int) -> str:
        if not _is_ip(host) and not _HOST_NAME.match(host):
            raise UnsafeUrlError(f"{host[:100]} is not a public host name")  # before any DNS query
        try:
            found = self._resolve(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            raise UnsafeUrlError(f"{host} does not resolve") from exc
        addresses = sorted({info[4][0] for info in found})
        if not addresses:
            raise UnsafeUrlError(f"{host} does not resolve")
        for address in addresses:  # every answer must be public: DNS may rotate between them
            reason = refusal(address)
            if reason:
                raise UnsafeUrlError(f"{host} resolves to {reason}")
        return addresses[0]


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False
