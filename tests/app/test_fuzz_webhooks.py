"""Hypothesis against POST /webhooks: bad bodies never get a 5xx, forgeries never get in.

Bodies are signed with the real `standardwebhooks` client; forgeries start from a request
that would be accepted and change one thing. Example counts, statuses and accepted
forgeries go to build/attack-figures.json (section `webhook_fuzz`).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from chalicelib.api.wire_out import ErrorBody, WebhookResponse
from chalicelib.services.clock import FixedClock
from evaluation.attack_report import record
from tests import fakes
from tests.builders import (OTHER_SECRET, SECRET, encode, message_event, next_id, payment_event,
                            refund_completed_event, refund_requested_event, signed_headers,
                            thread_closed_event)

FUZZ = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])
NOW = datetime.now(timezone.utc).replace(microsecond=0)
REFUSED = {"code": "invalid_signature", "message": "signature verification failed", "details": []}
BUILDERS = (message_event, thread_closed_event, payment_event, refund_requested_event,
            refund_completed_event)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12)


@pytest.fixture
def services():
    """The signature clock stands still at NOW, so the ±5 minute edges are exact."""
    return fakes.build(wall_clock=FixedClock(NOW))


@pytest.fixture
def tally(request):
    counts: Counter = Counter()
    yield counts
    record("webhook_fuzz", {request.node.name: dict(sorted(counts.items()))})


def post(client, body: bytes, headers: dict, tally: Counter) -> tuple[int, dict]:
    response = client.http.post("/webhooks/cmsmart", headers=headers, body=body)
    tally["examples"] += 1
    tally[f"status_{response.status_code}"] += 1
    tally["server_errors"] += response.status_code >= 500
    payload = json.loads(response.body)
    if response.status_code == 200:
        WebhookResponse.model_validate(payload)
    else:
        ErrorBody.model_validate(payload)
    return response.status_code, payload


def hmac_headers(body: bytes, *, secret: str = SECRET, webhook_id: str = "wh_raw",
                 signed_at: datetime = NOW) -> dict[str, str]:
    """The scheme over raw bytes, for bodies the str-only standardwebhooks signer cannot take."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    timestamp = str(int(signed_at.timestamp()))
    mac = hmac.new(key, f"{webhook_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return {"webhook-id": webhook_id, "webhook-timestamp": timestamp,
            "webhook-signature": "v1," + base64.b64encode(mac).decode(),
            "content-type": "application/json"}


# (a) correctly signed, badly formed -----------------------------------------------------

@st.composite
def mutated_events(draw) -> dict:
    event = draw(st.sampled_from(BUILDERS))(thread_id=next_id("fuzz-thread"))
    for _ in range(draw(st.integers(1, 3))):
        target = draw(st.sampled_from(["data", "envelope"]))
        container = event["data"] if target == "data" and isinstance(event.get("data"), dict) else event
        keys = sorted(container) or ["x"]
        key = draw(st.sampled_from(keys) | st.text(max_size=10))
        action = draw(st.sampled_from(["drop", "replace", "retype", "long_text"]))
        if action == "drop":
            container.pop(key, None)
        elif action == "replace":
            container[key] = draw(JSON)
        elif action == "retype":
            event["type"] = draw(st.sampled_from([b.__name__ for b in BUILDERS] + [
                "message.created", "thread.closed", "payment.updated", "refund.completed"]))
        else:
            container[key] = draw(st.text(min_size=257, max_size=600))
    return event


@settings(FUZZ, max_examples=400)
@given(event=mutated_events())
def test_signed_mutations_of_valid_events_are_processed_or_a_400_never_a_500(client, tally, event):
    status, payload = post(client, encode(event), signed_headers(encode(event), signed_at=NOW), tally)
    assert status in {200, 400}, payload
    if status == 400:
        assert payload["error"]["details"], "a 400 must name what is wrong"


@FUZZ
@given(value=JSON)
def test_signed_random_json_is_processed_or_a_400_never_a_500(client, tally, value):
    body = json.dumps(value).encode()
    status, payload = post(client, body, signed_headers(body, signed_at=NOW), tally)
    assert status in {200, 400}, payload


@FUZZ
@given(body=st.binary(max_size=2048))
def test_signed_random_bytes_are_a_400_with_the_error_shape(client, tally, body):
    headers = hmac_headers(body, webhook_id=next_id("wh_bytes"))
    status, payload = post(client, body, headers, tally)
    assert status == 400, payload


def test_a_correctly_signed_body_that_is_not_utf8_is_a_400(client, tally):
    body = b'{"type": "message.created", "data": "\xff\xfe"}'
    assert post(client, body, hmac_headers(body), tally)[0] == 400


TIME_FIELDS = {message_event: ("sent_at",), thread_closed_event: ("closed_at",),
               payment_event: ("occurred_at", "covers_until"), refund_requested_event: ("requested_at",),
               refund_completed_event: ("completed_at",)}
INSTANTS = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59),
                        timezones=st.sampled_from([timezone(timedelta(hours=h)) for h in (0, 5, -5, 14, -12)]))


@FUZZ
@given(builder=st.sampled_from(sorted(TIME_FIELDS, key=lambda b: b.__name__)), instant=INSTANTS, data=st.data())
@example(builder=message_event, instant=datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5))), data=None)
@example(builder=message_event, instant=datetime(9999, 12, 31, 23, 59, tzinfo=timezone.utc), data=None)
def test_any_rfc3339_instant_in_any_time_field_is_processed_or_a_400(client, tally, builder, instant, data):
    field = data.draw(st.sampled_from(TIME_FIELDS[builder])) if data else TIME_FIELDS[builder][0]
    event = builder(thread_id=next_id("instant-thread"), **{field: instant.isoformat()})
    status, payload = post(client, encode(event), signed_headers(encode(event), signed_at=NOW), tally)
    assert status in {200, 400}, (field, instant.isoformat(), payload)


# (b) forgeries --------------------------------------------------------------------------

def _flip(data: bytes, index: int, mask: int) -> bytes:
    index %= len(data)
    return data[:index] + bytes([data[index] ^ mask]) + data[index + 1:]


def _mac(headers: dict) -> bytes:
    return base64.b64decode(headers["webhook-signature"].split(",", 1)[1])


def _entry(mac: bytes, version: str = "v1") -> str:
    return f"{version},{base64.b64encode(mac).decode()}"


NOT_SPACE = st.characters(exclude_categories=["Zs", "Zl", "Zp", "Cc", "Cs"])


@st.composite
def forgeries(draw) -> tuple[str, bytes, dict]:
    body = encode(message_event(thread_id=next_id("forged-thread")))
    headers = signed_headers(body, signed_at=NOW)
    mac, mask = _mac(headers), draw(st.integers(1, 255))
    kind = draw(st.sampled_from([
        "signature_byte", "body_byte", "id", "timestamp", "other_secret", "random_secret",
        "dropped_header", "empty_header", "forged_entries", "v1_garbage", "huge_signature",
        "huge_id", "unicode_headers"]))
    if kind == "signature_byte":
        headers["webhook-signature"] = _entry(_flip(mac, draw(st.integers(0, 31)), mask))
    elif kind == "body_byte":
        body = _flip(body, draw(st.integers(0, len(body) - 1)), mask)
    elif kind == "id":
        headers["webhook-id"] += draw(st.text(NOT_SPACE, min_size=1, max_size=5))
    elif kind == "timestamp":
        delta = draw(st.integers(-299, 299).filter(bool))
        headers["webhook-timestamp"] = str(int(headers["webhook-timestamp"]) + delta)
    elif kind in ("other_secret", "random_secret"):
        secret = OTHER_SECRET if kind == "other_secret" else "whsec_" + base64.b64encode(
            draw(st.binary(min_size=1, max_size=64).filter(lambda k: k != base64.b64decode(SECRET[6:])))).decode()
        headers = signed_headers(body, secret=secret, webhook_id=headers["webhook-id"], signed_at=NOW)
    elif kind in ("dropped_header", "empty_header"):
        name = draw(st.sampled_from(["webhook-id", "webhook-timestamp", "webhook-signature"]))
        if kind == "dropped_header":
            del headers[name]
        else:
            headers[name] = draw(st.sampled_from(["", " ", "\t"]))
    elif kind == "forged_entries":
        forged = [_entry(mac[:draw(st.integers(0, 31))]), _entry(mac + b"\0"),
                  _entry(_flip(mac, 0, mask)), _entry(mac, draw(st.sampled_from(["v2", "V1", "v1a", "v0"]))),
                  base64.b64encode(mac).decode(), _entry(draw(st.binary(min_size=32, max_size=32)))]
        entries = draw(st.lists(st.sampled_from(forged), min_size=1, max_size=8))
        headers["webhook-signature"] = " ".join(draw(st.permutations(entries)))
    elif kind == "v1_garbage":
        headers["webhook-signature"] = "v1," + draw(st.text(max_size=80))
    elif kind == "huge_signature":
        headers["webhook-signature"] = " ".join([_entry(_flip(mac, 1, mask))] * draw(st.integers(1_000, 20_000)))
    elif kind == "huge_id":  # correctly signed, but over the id limit
        webhook_id = "wh_" + "x" * draw(st.integers(300, 20_000))
        headers = signed_headers(body, webhook_id=webhook_id, signed_at=NOW)
    else:
        name = draw(st.sampled_from(["webhook-id", "webhook-signature"]))
        headers[name] = draw(st.text(st.characters(min_codepoint=0x80, exclude_categories=["Cs"]),
                                     min_size=1, max_size=40))
    return kind, body, headers


def test_the_unforged_request_is_accepted_so_the_401s_below_mean_something(client, tally):
    body = encode(message_event(thread_id=next_id("genuine-thread")))
    assert post(client, body, signed_headers(body, signed_at=NOW), tally)[0] == 200


@settings(FUZZ, max_examples=1_000)
@given(forgery=forgeries())
def test_no_forgery_is_accepted_and_every_refusal_is_the_same_opaque_401(client, tally, forgery):
    kind, body, headers = forgery
    status, payload = post(client, body, headers, tally)
    tally[f"kind_{kind}"] += 1
    tally["accepted_forgeries"] += status == 200
    assert status == 401, (kind, payload)
    assert payload["error"] == REFUSED


TIMESTAMPS = st.one_of(st.text(max_size=20), st.text(st.characters(categories=["Nd", "No"]), min_size=1),
                       st.integers(4_000, 6_000).map(lambda n: "1" * n), st.integers().map(str))


@FUZZ
@given(timestamp=TIMESTAMPS)
@example(timestamp="²")
@example(timestamp="9" * 5_000)
def test_any_timestamp_header_is_a_401_never_a_500(client, tally, timestamp):
    body = encode(message_event())
    headers = {**signed_headers(body, signed_at=NOW), "webhook-timestamp": timestamp}
    status, payload = post(client, body, headers, tally)
    assert status == 401, payload


# (c) the ±5 minute edges ----------------------------------------------------------------

@FUZZ
@given(offset=st.integers(-900, 900))
@example(offset=300)
@example(offset=-300)
@example(offset=301)
@example(offset=-301)
def test_a_signature_is_accepted_exactly_within_five_minutes_either_side(client, tally, offset):
    body = encode(message_event(thread_id=next_id("edge-thread")))
    headers = signed_headers(body, signed_at=NOW + timedelta(seconds=offset))
    status, payload = post(client, body, headers, tally)
    tally["accepted_forgeries"] += status == 200 and abs(offset) > 300
    assert status == (200 if abs(offset) <= 300 else 401), (offset, payload)
