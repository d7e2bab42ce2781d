"""Issue 15's property: any correctly signed body up to the size limit gets a 2xx or a 4xx,
never a 5xx, on the in-memory store and on DynamoDB + KMS (moto).

Bodies are events with fields swapped for hostile values (ids of four-byte characters up to
and over the byte limit, non-booleans, unknown sellers, threads and order ids shared between
examples so later messages contradict earlier tickets), message bodies packed with up to
400 credentials or padded to 64 KiB, extra fields nested or padded up to and past 256 KiB,
and the whole encoded as UTF-8, UTF-8 with a BOM or UTF-16.
"""
from __future__ import annotations

import json
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chalicelib.api.wire_out import ErrorBody, WebhookResponse
from evaluation.attack_report import record
from tests.app.test_fuzz_webhooks import BUILDERS, JSON
from tests.builders import next_id, raw_signed_headers
from tests.moto_app import moto_client

PROPERTY = settings(deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large])
ID_FIELDS = ("message_id", "thread_id", "seller_id", "product_id", "customer_id", "order_id",
             "payment_id", "refund_id")
UNICODE_ID = st.builds(lambda char, n: char * n, st.sampled_from(["a", "é", "\u20ac", "\U0001F600"]),
                       st.integers(1, 300))
HOSTILE = st.one_of(JSON, UNICODE_ID, st.sampled_from(["yes", "no", "true", 1, 0, None, "", " "]),
                    st.text(max_size=40))
SHARED = {"thread_id": st.sampled_from(["t-1", "t-2", "t-3"]),
          "order_id": st.sampled_from(["o-1", "o-2"]),
          "seller_id": st.sampled_from(["acme", "globex", "ghost"]),
          "customer_id": st.sampled_from(["c-1", "c-2"]),
          "product_id": st.sampled_from(["p-1", "p-2"])}


def message_text(pairs: int, padding: int) -> str:
    """Up to 400 credentials, then padding; over 64 KiB is the body's own 400."""
    creds = " ".join(f"password: Pw{n}Secret" for n in range(pairs))
    return f"Why does the checkout fail? {creds} " + "lorem ipsum " * padding


@st.composite
def hostile_bodies(draw) -> bytes:
    event = draw(st.sampled_from(BUILDERS))()
    data = event["data"]
    for name in ID_FIELDS:
        if name in data or draw(st.booleans()):
            data[name] = draw(SHARED.get(name, UNICODE_ID) | HOSTILE) if draw(st.booleans()) else data.get(name, "x")
    for name in draw(st.lists(st.sampled_from(["automated", "product_downloaded", "tags", "attachments",
                                               "platform", "amount", "author", "status"]), max_size=3)):
        data[name] = draw(HOSTILE)
    if "body" in data:
        data["body"] = message_text(draw(st.integers(0, 400)), draw(st.sampled_from([0, 10, 5400, 5500])))
    nested = draw(st.integers(0, 40))
    for _ in range(nested):
        data = {"x": data}
    event["extra"] = {"pad": "z" * draw(st.sampled_from([0, 1000, 200_000, 262_000])), "deep": data} \
        if nested else {"pad": "z" * draw(st.sampled_from([0, 1000, 200_000]))}
    text = json.dumps(event, ensure_ascii=draw(st.booleans()))
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16"]))
    return text.encode(encoding)


def post(client, body: bytes, tally: Counter) -> int:
    response = client.http.post("/webhooks/cmsmart", body=body,
                                headers=raw_signed_headers(body, webhook_id=next_id("wh-prop")))
    tally[response.status_code] += 1
    payload = json.loads(response.body)
    if response.status_code == 200:
        WebhookResponse.model_validate(payload)
    else:
        ErrorBody.model_validate(payload)
    assert 200 <= response.status_code < 500, (response.status_code, payload, body[:300])
    return response.status_code


@pytest.fixture
def tally(request):
    counts: Counter = Counter()
    yield counts
    record("never_5xx", {request.node.name: {str(k): v for k, v in sorted(counts.items())}})
    assert counts[200] and sum(v for k, v in counts.items() if 400 <= k < 500), \
        f"the property must see both answers to mean anything: {dict(counts)}"


@settings(PROPERTY, max_examples=150)
@given(body=hostile_bodies())
def test_any_signed_body_is_a_2xx_or_a_4xx_on_the_in_memory_store(client, tally, body):
    post(client, body, tally)


@pytest.fixture
def aws_client(aws_env):
    with moto_client() as (client, _calls, _services):
        yield client


@settings(PROPERTY, max_examples=50)
@given(body=hostile_bodies())
def test_any_signed_body_is_a_2xx_or_a_4xx_on_dynamodb_and_kms(aws_client, tally, body):
    post(aws_client, body, tally)
