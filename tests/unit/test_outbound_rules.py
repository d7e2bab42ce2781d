"""SSRF refusals, the retry schedule and endpoint subscriptions, as tables of cases."""
from __future__ import annotations

import random
import socket
from datetime import timedelta

import pytest

from chalicelib.adapters.url_guard import UrlGuard
from chalicelib.domain.errors import UnsafeUrlError
from chalicelib.domain.notices import NoticeType
from chalicelib.domain.outbound import RETRY_WAITS, Endpoint, retry_wait
from tests.builders import T0


def resolving_to(*addresses):
    return lambda host, port, type=0: [(socket.AF_INET, type, 6, "", (a, port)) for a in addresses]


@pytest.mark.parametrize(("url", "addresses", "reason"), [
    ("http://example.com/h", ("93.184.216.34",), "must be https"),
    ("https://127.0.0.1/h", ("127.0.0.1",), "loopback"),
    ("https://localhost/h", ("127.0.0.1",), "not a public host name"),
    ("https://10.1.2.3/h", ("10.1.2.3",), "private"),
    ("https://box.internal/h", ("192.168.0.4",), "private"),
    ("https://meta.example.com/h", ("169.254.169.254",), "metadata"),
    ("https://ll.example.com/h", ("169.254.10.1",), "link-local"),
    ("https://mc.example.com/h", ("224.0.0.1",), "multicast"),
    ("https://v6.example.com/h", ("::1",), "loopback"),
    ("https://mapped.example.com/h", ("::ffff:10.0.0.1",), "private"),
    ("https://rebind.example.com/h", ("93.184.216.34", "10.0.0.1"), "private"),  # every answer must be public
    ("https://user:pw@example.com/h", ("93.184.216.34",), "credentials"),
    ("ftp://example.com/h", ("93.184.216.34",), "https"),
])
def test_a_url_that_could_reach_inside_is_refused_with_the_reason(url, addresses, reason):
    with pytest.raises(UnsafeUrlError, match=reason):
        UrlGuard(resolve=resolving_to(*addresses)).check(url)


def test_a_public_https_url_is_accepted_and_pinned_to_the_checked_address():
    target = UrlGuard(resolve=resolving_to("93.184.216.34")).target("https://example.com:8443/h?x=1")
    assert (target.address, target.port, target.path) == ("93.184.216.34", 8443, "/h?x=1")


@pytest.mark.parametrize("url", ["http://127.0.0.1:9000/hooks", "http://localhost/h"])
def test_local_mode_also_allows_the_loopback_receivers(url):
    UrlGuard(allow_local=True, resolve=resolving_to()).check(url)
    with pytest.raises(UnsafeUrlError):
        UrlGuard(allow_local=False, resolve=resolving_to("127.0.0.1")).check(url)


def test_local_mode_still_refuses_private_addresses():
    with pytest.raises(UnsafeUrlError, match="private"):
        UrlGuard(allow_local=True, resolve=resolving_to("10.0.0.1")).check("https://x.example.com/h")


def test_the_retry_schedule_is_seven_waits_with_twenty_percent_jitter():
    rng = random.Random(1)
    for attempts, base in enumerate(RETRY_WAITS, start=1):
        waits = [retry_wait(attempts, rng).total_seconds() for _ in range(200)]
        assert base * 0.8 <= min(waits) and max(waits) <= base * 1.2
        assert max(waits) - min(waits) > base * 0.2  # it does jitter
    assert retry_wait(len(RETRY_WAITS) + 1, rng) is None


@pytest.mark.parametrize(("retry_after", "expected"), [(120, 120), (0, 1), (10**9, 36000)])
def test_retry_after_is_honoured_within_bounds(retry_after, expected):
    assert retry_wait(1, random.Random(1), retry_after) == timedelta(seconds=expected)


@pytest.mark.parametrize(("owner", "filters", "wanted"), [
    ("seller:acme", (), {t for t in NoticeType if t is not NoticeType.ACTION_REQUESTED}),
    ("seller:acme", ("action.requested",), {NoticeType.ACTION_REQUESTED}),
    ("marketplace:cmsmart", (), {NoticeType.ACTION_REQUESTED}),
])
def test_who_receives_what_by_default_and_by_filter(owner, filters, wanted):
    endpoint = Endpoint("ep_1", owner, "https://x", (), T0, filters)
    assert {t for t in NoticeType if endpoint.wants(t)} == wanted


@pytest.mark.parametrize("url", ["https://intranet/h", "https://exa_mple.com/h", "https://-x.com/h"])
def test_a_host_that_is_no_public_name_is_refused_before_any_dns_query(url):
    def no_dns(*args, **kwargs):
        raise AssertionError("resolved")
    with pytest.raises(UnsafeUrlError, match="not a public host name"):
        UrlGuard(resolve=no_dns).check(url)
