"""Issue 15: each probe finding, answered definitely (a 2xx or a 4xx naming the field), and
nothing written by the refused ones. In-memory store unless the finding is DynamoDB's own
limit, then DynamoDB and KMS on moto."""
from __future__ import annotations

import json

import pytest

from chalicelib.api.wire_out import ErrorBody
from chalicelib.services import credentials
from tests.builders import encode, message_event, next_id, payment_event, raw_signed_headers, signed_headers
from tests.moto_app import moto_client

PAIRS_120 = "My logins, please check the shop: " + " ".join(
    f"password: Sup3r{n}Secret" for n in range(120)) + " Why does the checkout fail?"
FOUR_BYTES = "\U0001F600"


def post(client, body: bytes, headers: dict | None = None) -> tuple[int, dict]:
    response = client.http.post("/webhooks/cmsmart", body=body, headers=headers or signed_headers(body))
    return response.status_code, json.loads(response.body)


def refused(client, body: bytes, headers: dict | None = None) -> list[tuple[str, str]]:
    """The 400's (field, problem) pairs; the contract's error shape is checked on the way."""
    status, payload = post(client, body, headers)
    assert status == 400, payload
    error = ErrorBody.model_validate(payload).error
    return [(d.field, d.problem) for d in error.details]


def fields(details) -> set[str]:
    return {field for field, _ in details}


# Finding 2: a message can be made to fail forever ---------------------------------------

@pytest.fixture
def aws_client(aws_env):
    with moto_client() as (client, calls, _services):
        yield client, calls


def test_120_credential_pairs_are_redacted_in_one_vault_item_and_answered_200_on_dynamodb(aws_client):
    client, calls = aws_client
    calls.clear()
    status, answer = post(client, encode(message_event(thread_id="creds-120", body=PAIRS_120)))
    assert status == 200, answer
    assert answer["ticket"]["credentials_shared"] == 120
    assert calls["kms"] <= credentials.MAX_SEALS, "KMS calls must not grow with the credentials"
    detail = client.http.get(f"/v1/tickets/{answer['ticket']['id']}",
                             headers={"authorization": "Bearer tw_test_acme_key_0123456789"})
    body = json.loads(detail.body)["messages"][0]["body"]
    assert "Sup3r7Secret" not in body and "[redacted credential #120]" in body


def test_the_sealed_credentials_read_back_whole_through_kms(aws_client):
    client, _ = aws_client
    _, answer = post(client, encode(message_event(thread_id="creds-back", body=PAIRS_120)))
    read = client.http.get(f"/v1/tickets/{answer['ticket']['id']}/credentials",
                           headers={"authorization": "Bearer tw_test_acme_key_0123456789"})
    items = json.loads(read.body)["items"]
    assert [i["value"] for i in items] == [f"Sup3r{n}Secret" for n in range(120)]


def test_more_credentials_than_the_limit_is_a_400_naming_the_body_and_the_limit(client, services):
    body = " ".join(f"password: Pw{n}xyz" for n in range(credentials.MAX_CREDENTIALS + 1))
    details = refused(client, encode(message_event(thread_id="too-many", body=body)))
    assert details[0][0] == "data.body" and str(credentials.MAX_CREDENTIALS) in details[0][1]
    assert services.store.tickets == {}


def test_what_does_not_fit_the_per_message_seals_is_redacted_and_counted_not_kept(client, services):
    key = "-----BEGIN RSA PRIVATE KEY-----\n" + "A" * 3000 + "\n-----END RSA PRIVATE KEY-----"
    body = "Here are our keys, why does the deploy fail? " + "\n\n".join([key] * 6)
    status, answer = post(client, encode(message_event(thread_id="big-keys", body=body)))
    assert status == 200, answer
    ticket = services.store.load_ticket(answer["ticket"]["id"])
    assert ticket.credentials_shared == 6 and ticket.credentials_not_kept == 6 - credentials.MAX_SEALS
    assert "AAAA" not in ticket.messages[0].body
    assert f"{6 - credentials.MAX_SEALS} not kept" in answer["ticket"]["credentials"]


# Finding 3: input answered as a dependency failure --------------------------------------

@pytest.mark.parametrize("field", ["message_id", "thread_id", "seller_id", "product_id", "customer_id"])
def test_an_id_of_256_four_byte_characters_is_a_400_naming_it_and_the_byte_limit(client, services, field):
    details = refused(client, encode(message_event(**{field: FOUR_BYTES * 256})))
    assert (f"data.{field}", "Value error, must be at most 256 bytes in UTF-8") in details
    assert services.store.tickets == {}


def test_oversized_ids_on_dynamodb_are_a_400_not_a_503(aws_client):
    client, _ = aws_client
    for event in (message_event(thread_id="long", customer_id=FOUR_BYTES * 256),
                  payment_event(order_id=FOUR_BYTES * 256)):
        status, payload = post(client, encode(event))
        assert status == 400, payload


@pytest.mark.parametrize("path", ["/v1/tickets/{id}", "/v1/tickets/{id}/credentials",
                                  "/v1/entitlements?customer_id={id}", "/v1/tickets?customer_id={id}"])
def test_an_oversized_id_on_the_status_api_is_a_400(client, path):
    response = client.http.get(path.format(id=FOUR_BYTES * 300),
                               headers={"authorization": "Bearer tw_test_acme_key_0123456789"})
    assert response.status_code == 400, response.body


def test_a_dynamodb_refusal_of_a_malformed_request_is_not_a_retryable_503(aws_env):
    """Should validation ever miss one, a ValidationException is a logged 500 without Retry-After:
    a 503 would have the marketplace retry a delivery that can never succeed."""
    from dataclasses import replace

    from chalicelib.api.errors import to_response
    from chalicelib.domain.errors import RequestRejectedError
    from chalicelib.services.ports import TicketWrite
    from tests.adapters.test_store_contract import a_message, a_ticket, change
    message = replace(a_message(), message_id="x" * 1100)  # a sort key over 1,024 bytes
    with moto_client() as (_client, _calls, services):
        with pytest.raises(RequestRejectedError) as refused_by_dynamodb:
            services.store.commit(change("wh-long", TicketWrite(a_ticket(messages=(message,)), None, (message,))))
    response = to_response(refused_by_dynamodb.value)
    assert response.status_code == 500 and "Retry-After" not in response.headers


# Finding 4: accepted although malformed -------------------------------------------------

def test_a_utf8_bom_before_the_json_is_a_400(client, services):
    body = b"\xef\xbb\xbf" + encode(message_event())
    assert fields(refused(client, body, raw_signed_headers(body, webhook_id=next_id("wh")))) == {"body"}
    assert services.store.tickets == {}


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
def test_a_utf16_or_utf32_body_is_a_400(client, services, encoding):
    body = json.dumps(message_event()).encode(encoding)
    assert fields(refused(client, body, raw_signed_headers(body, webhook_id=next_id("wh")))) == {"body"}
    assert services.store.tickets == {}


@pytest.mark.parametrize("value", ["yes", "true", 1, 0, None])
def test_automated_must_be_a_json_boolean(client, value):
    assert "data.automated" in fields(refused(client, encode(message_event(automated=value))))


def test_product_downloaded_must_be_a_json_boolean(client):
    from tests.builders import refund_requested_event
    event = refund_requested_event(product_downloaded="no", seller_id="acme")
    assert "data.product_downloaded" in fields(refused(client, encode(event)))


@pytest.mark.parametrize("builder", [message_event, payment_event])
def test_an_unknown_seller_is_a_400_naming_seller_id(client, services, builder):
    assert refused(client, encode(builder(seller_id="no-such-seller"))) == [("data.seller_id", "no such seller")]
    assert services.store.tickets == {} and services.store.orders == {}


@pytest.mark.parametrize(("field", "value"), [("seller_id", "globex"), ("customer_id", "cust-other"),
                                              ("product_id", "another-product")])
def test_a_later_message_contradicting_its_ticket_is_a_400_and_changes_nothing(client, services, field, value):
    status, opened = post(client, encode(message_event(thread_id="t-fixed")))
    assert status == 200, opened
    before = services.store.load_ticket(opened["ticket"]["id"])
    later = message_event(thread_id="t-fixed", body="And another question: why is it slow?", **{field: value})
    assert refused(client, encode(later)) == [(f"data.{field}", "differs from the ticket this thread opened")]
    assert services.store.load_ticket(before.id) == before


def test_json_nested_deeper_than_the_limit_is_a_400_naming_the_body(client):
    from chalicelib.api.json_body import MAX_DEPTH
    event = message_event()
    deep: list = []
    for _ in range(MAX_DEPTH):
        deep = [deep]
    event["extra"] = deep
    details = refused(client, encode(event))
    assert details == [("body", f"nested deeper than {MAX_DEPTH} levels")]


def test_a_lone_surrogate_escape_is_a_400_naming_the_body(client, services):
    body = encode(message_event(subject="x")).replace(b'"subject": "x"', b'"subject": "\\ud800"')
    assert fields(refused(client, body)) == {"body"}
    assert services.store.tickets == {}
