"""Cross-seller isolation on every /v1 route of the OpenAPI document, and 401 without a good key.

Routes are read from `openapi_document()`, so a new /v1 route fails here until it has an
isolation case in ISOLATION. Seller A (acme, crmjetty override: SLA clocks, credential
vault, support hours) and seller B (globex, marketplace profile) share a customer id
and a product id; B must never see A's data, and A's tickets are 404 for B, exactly as
tickets that do not exist.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote, urlencode

import pytest

from chalicelib.api.openapi import openapi_document
from chalicelib.api.wire_out import ErrorBody
from chalicelib.domain.model import Seller
from chalicelib.services.status import hash_api_key
from evaluation.attack_report import record
from tests import fakes
from tests.builders import (T0, encode, iso, message_event, payment_event, signed_headers,
                            thread_closed_event)
from tests.fakes import ACME_KEY, GLOBEX_KEY

DOCUMENT = openapi_document()
V1_ROUTES = [(path, method.upper()) for path, operations in DOCUMENT["paths"].items()
             if path.startswith("/v1/") for method in operations]
SHARED = {"customer_id": "cust-shared", "product_id": "p1"}
CREDENTIALS = "Hello, my ftp login is bob and password is s3cret. The checkout page is blank, how can I fix it?"
BAD_AUTHORIZATIONS = {
    "no header": None, "empty": "", "scheme only": "Bearer", "scheme and a space": "Bearer ",
    "basic scheme": f"Basic {ACME_KEY}", "token scheme": f"Token {ACME_KEY}", "no scheme": ACME_KEY,
    "key plus a byte": f"Bearer {ACME_KEY}x", "key less a byte": f"Bearer {ACME_KEY[:-1]}",
    "two keys": f"Bearer {ACME_KEY}, Bearer {GLOBEX_KEY}", "unicode": "Bearer clé-ünïcødé",
    "hash of the key": f"Bearer {hash_api_key(ACME_KEY)}",
}


@dataclass
class World:
    a_open: str
    a_closed: str
    b_ticket: str
    a_endpoint: str = ""
    a_notice: str = ""

    @property
    def a_tickets(self) -> set[str]:
        return {self.a_open, self.a_closed}


@pytest.fixture
def services():
    directory = fakes.tenants()
    directory.add_seller(Seller("acme", policy="crmjetty"), (hash_api_key(ACME_KEY),))
    return fakes.build(tenants=directory)


def deliver(client, event: dict, marketplace: str = "cmsmart") -> dict:
    body = encode(event)
    response = client.http.post(f"/webhooks/{marketplace}", headers=signed_headers(body), body=body)
    assert response.status_code == 200, response.body
    return json.loads(response.body)


def get(client, path: str, authorization: str | None) -> tuple[int, dict]:
    headers = {} if authorization is None else {"authorization": authorization}
    response = client.http.get(path, headers=headers)
    return response.status_code, json.loads(response.body)


def as_a(client, path):
    return get(client, path, f"Bearer {ACME_KEY}")


def as_b(client, path):
    return get(client, path, f"Bearer {GLOBEX_KEY}")


@pytest.fixture
def world(client) -> World:
    """A: payments, an open ticket with credentials and a closed one; B: one ticket."""
    deliver(client, payment_event(seller_id="acme", order_id="order-a", purchase="subscription",
                                  plan="business_care", covers_until=iso(T0 + timedelta(days=200)), **SHARED))
    for customer in ("cust-shared", "cust-a"):  # CRJ-1: free support needs a recent purchase
        deliver(client, payment_event(seller_id="acme", order_id=f"order-{customer}",
                                      customer_id=customer, product_id="p1"))
    a_open = deliver(client, message_event(thread_id="a-open", seller_id="acme", body=CREDENTIALS, **SHARED))
    a_closed = deliver(client, message_event(thread_id="a-closed", seller_id="acme", customer_id="cust-a",
                                             product_id="p1"))
    closed = deliver(client, thread_closed_event(thread_id="a-closed"))
    assert (a_open["ticket"]["status"], closed["ticket"]["status"]) == ("open", "closed")
    b_ticket = deliver(client, message_event(thread_id="b-own", seller_id="globex",
                                             at=T0 + timedelta(minutes=5), **SHARED))
    a_endpoint, a_notice = notices_of_a(client)
    return World(a_open["ticket"]["id"], a_closed["ticket"]["id"], b_ticket["ticket"]["id"],
                 a_endpoint, a_notice)


def notices_of_a(client) -> tuple[str, str]:
    """A registers an endpoint (nothing listens there: attempts fail, which is fine) and gets
    a notice through the outbox and the consumer, as the stream would carry it."""
    from chalicelib.api.context import services
    from chalicelib.domain.events import Delivery
    from chalicelib.domain.notices import Notice, NoticeType
    from chalicelib.services.notifier import OutboxRecord
    from chalicelib.services.ports import Change
    status, endpoint = call(client, "POST", "/v1/endpoints", f"Bearer {ACME_KEY}",
                            {"url": "http://127.0.0.1:9/a-hooks"})
    assert status == 201, endpoint
    wiring = services()
    notice = Notice(NoticeType.TICKET_CLOSED, "cmsmart", "acme", "tk-a", {"ticket_id": "tk-a"})
    wiring.store.commit(Change(Delivery("cmsmart", "wh-notice-a", "h", "x"), {}, T0, notices=(notice,)))
    batches = wiring.store.outbox_after(0)  # the world's own tickets have notices too
    records = [OutboxRecord(str(n), f"ev{n}", tuple(b)) for n, b in enumerate(batches)]
    assert wiring.outbound.consumer.consume(records) == []
    return endpoint["id"], batches[-1][0].id


def call(client, method: str, path: str, authorization: str | None, body: dict | None = None):
    headers = {"content-type": "application/json"}
    if authorization is not None:
        headers["authorization"] = authorization
    response = client.http.request(method, path, headers=headers,
                                   body=json.dumps(body).encode() if body is not None else b"")
    return response.status_code, json.loads(response.body) if response.body else {}


def listed(client, query: str, ask) -> set[str]:
    status, body = ask(client, f"/v1/tickets?{query}")
    assert status == 200, body
    return {item["id"] for item in body["items"]}


def assert_same_as_missing(client, path: str, ticket_id: str) -> None:
    """B gets for A's ticket exactly what it gets for a ticket that does not exist."""
    missing = "tkt_" + "0" * (len(ticket_id) - 4)
    status, body = as_b(client, path.format(ticket_id=ticket_id))
    missing_status, missing_body = as_b(client, path.format(ticket_id=missing))
    assert (status, missing_status) == (404, 404), body
    ErrorBody.model_validate(body)
    assert json.dumps(body).replace(ticket_id, "ID") == json.dumps(missing_body).replace(missing, "ID")


# One isolation case per /v1 route --------------------------------------------------------

def tickets_list_case(client, world: World) -> None:
    assert listed(client, "limit=200", as_a) == world.a_tickets  # the positive control
    queries = ["", "limit=200", "status=open", "status=closed", "status=rejected",
               f"customer_id={SHARED['customer_id']}", "customer_id=cust-a", f"product_id={SHARED['product_id']}",
               "due_before=2100-01-01T00:00:00Z", "limit=1"]
    for query in queries:
        assert listed(client, query, as_b) <= {world.b_ticket}, query
    status, page = as_a(client, "/v1/tickets?limit=1")
    assert page["next_cursor"], "seller A needs a second page for the cursor case"
    status, body = as_b(client, f"/v1/tickets?limit=1&cursor={quote(page['next_cursor'])}")
    assert status == 400 or {item["id"] for item in body["items"]} <= {world.b_ticket}, body


def ticket_detail_case(client, world: World) -> None:
    assert as_a(client, f"/v1/tickets/{world.a_open}")[0] == 200
    for ticket_id in world.a_tickets:
        assert_same_as_missing(client, "/v1/tickets/{ticket_id}", ticket_id)


def credentials_case(client, world: World) -> None:
    status, body = as_a(client, f"/v1/tickets/{world.a_open}/credentials")
    assert status == 200 and body["items"], body
    for ticket_id in world.a_tickets:  # the closed one must not tell B that it exists
        assert_same_as_missing(client, "/v1/tickets/{ticket_id}/credentials", ticket_id)


def sla_case(client, world: World) -> None:
    for window in ["", "?since=2026-01-01T00:00:00Z", "?since=2026-01-01T00:00:00Z&until=2027-01-01T00:00:00Z"]:
        status, mine = as_a(client, f"/v1/sla{window}")
        assert status == 200 and mine["tickets"] == 2 and "reply" in mine["clocks"], mine
        status, theirs = as_b(client, f"/v1/sla{window}")
        assert status == 200, theirs
        assert theirs["tickets"] == 1 and sum(theirs["by_status"].values()) == 1, theirs
        assert "reply" not in theirs["clocks"], "seller A's CRJ-5 clocks leaked into B's report"


def summary_case(client, world: World) -> None:
    status, mine = as_a(client, "/v1/sla/summary")
    assert status == 200 and mine["open_tickets"] == 1 and "CRJ-5" in json.dumps(mine), mine
    assert world.a_open in json.dumps(mine), "the positive control: A's open ticket is listed"
    status, theirs = as_b(client, "/v1/sla/summary")
    assert status == 200 and theirs["seller_id"] == "globex" and theirs["open_tickets"] == 1, theirs
    text = json.dumps(theirs)
    for leak in (*world.a_tickets, "CRJ-5", "order-a", "acme"):
        assert leak not in text, f"seller A's {leak} leaked into B's summary"


def support_hours_case(client, world: World) -> None:
    status, mine = as_a(client, "/v1/support-hours")
    assert status == 200 and mine["policy"].startswith("crmjetty@"), mine
    for query in ["", "?marketplace=cmsmart", "?marketplace=prestashop", "?marketplace=crmjetty"]:
        status, theirs = as_b(client, f"/v1/support-hours{query}")
        assert status in {200, 400, 404}, theirs
        assert status != 200 or not theirs["policy"].startswith("crmjetty@"), "A's profile served to B"


def entitlements_case(client, world: World) -> None:
    status, mine = as_a(client, f"/v1/entitlements?{urlencode(SHARED)}")
    assert status == 200 and mine["covered"] and mine["items"], mine
    for query in [{"customer_id": SHARED["customer_id"]}, SHARED]:
        status, theirs = as_b(client, f"/v1/entitlements?{urlencode(query)}")
        assert status == 200, theirs
        assert theirs["covered"] is False and theirs["items"] == [] and theirs["until"] is None, theirs


def assert_missing_for_b(client, method: str, path: str, real: str) -> None:
    """B gets for A's endpoint or notice exactly what it gets for an id that does not exist."""
    fake = real[:3] + "0" * (len(real) - 3)
    status, body = call(client, method, path.format(id=real), f"Bearer {GLOBEX_KEY}")
    missing_status, missing_body = call(client, method, path.format(id=fake), f"Bearer {GLOBEX_KEY}")
    assert (status, missing_status) == (404, 404), body
    assert json.dumps(body).replace(real, "ID") == json.dumps(missing_body).replace(fake, "ID")


def endpoints_case(client, world: World) -> None:
    status, mine = call(client, "GET", "/v1/endpoints", f"Bearer {ACME_KEY}")
    assert status == 200 and [e["id"] for e in mine["items"]] == [world.a_endpoint]
    status, created = call(client, "POST", "/v1/endpoints", f"Bearer {GLOBEX_KEY}",
                           {"url": "http://127.0.0.1:9/b-hooks"})
    assert status == 201 and created["id"] != world.a_endpoint
    status, theirs = call(client, "GET", "/v1/endpoints", f"Bearer {GLOBEX_KEY}")
    assert [e["id"] for e in theirs["items"]] == [created["id"]], theirs


def endpoint_case(client, world: World) -> None:
    assert call(client, "GET", f"/v1/endpoints/{world.a_endpoint}", f"Bearer {ACME_KEY}")[0] == 200
    for method in ("GET", "DELETE"):
        assert_missing_for_b(client, method, "/v1/endpoints/{id}", world.a_endpoint)
    assert call(client, "GET", f"/v1/endpoints/{world.a_endpoint}", f"Bearer {ACME_KEY}")[0] == 200


def rotate_case(client, world: World) -> None:
    assert_missing_for_b(client, "POST", "/v1/endpoints/{id}/rotate-secret", world.a_endpoint)
    status, rotated = call(client, "POST", f"/v1/endpoints/{world.a_endpoint}/rotate-secret",
                           f"Bearer {ACME_KEY}")
    assert status == 200 and rotated["secret"].startswith("whsec_")


def notices_case(client, world: World) -> None:
    status, mine = call(client, "GET", "/v1/notices?limit=100", f"Bearer {ACME_KEY}")
    assert status == 200 and world.a_notice in [n["id"] for n in mine["items"]]
    assert all(n["data"].get("ticket", {}).get("seller_id", "acme") == "acme" for n in mine["items"])
    a_ids = {n["id"] for n in mine["items"]}
    status, theirs = call(client, "GET", "/v1/notices?limit=100", f"Bearer {GLOBEX_KEY}")
    assert status == 200 and theirs["items"], "B's own ticket gives B a notice: the positive control"
    for query in ("", "?type=ticket.closed", "?type=ticket.opened", "?limit=100",
                  f"?after={quote(mine['next_cursor'])}", "?after="):
        status, theirs = call(client, "GET", f"/v1/notices{query}", f"Bearer {GLOBEX_KEY}")
        assert status in (200, 400), (query, theirs)
        assert not a_ids & {n["id"] for n in theirs.get("items", [])}, (query, theirs)


def notice_case(client, world: World) -> None:
    status, mine = call(client, "GET", f"/v1/notices/{world.a_notice}", f"Bearer {ACME_KEY}")
    assert status == 200 and mine["attempts"], mine
    assert_missing_for_b(client, "GET", "/v1/notices/{id}", world.a_notice)


def resend_case(client, world: World) -> None:
    assert_missing_for_b(client, "POST", "/v1/notices/{id}/resend", world.a_notice)
    assert call(client, "POST", f"/v1/notices/{world.a_notice}/resend", f"Bearer {ACME_KEY}")[0] == 202


ISOLATION = {
    "/v1/endpoints": endpoints_case,
    "/v1/endpoints/{endpoint_id}": endpoint_case,
    "/v1/endpoints/{endpoint_id}/rotate-secret": rotate_case,
    "/v1/notices": notices_case,
    "/v1/notices/{notice_id}": notice_case,
    "/v1/notices/{notice_id}/resend": resend_case,
    "/v1/tickets": tickets_list_case,
    "/v1/tickets/{ticket_id}": ticket_detail_case,
    "/v1/tickets/{ticket_id}/credentials": credentials_case,
    "/v1/sla": sla_case,
    "/v1/sla/summary": summary_case,
    "/v1/support-hours": support_hours_case,
    "/v1/entitlements": entitlements_case,
}


# Money routes when two sellers share an order id (one cart, several vendors: issue 15) ------

CART = "cart-shared"


def _refund(client, seller_id: str | None, customer_id: str, expected: int = 200) -> dict:
    data = {"refund_id": f"r-{seller_id}-{customer_id}", "order_id": CART, "customer_id": customer_id,
            "reason": "other", "requested_at": iso(T0 + timedelta(days=1))}
    event = {"type": "refund.requested", "timestamp": iso(T0), "data": {
        **data, **({"seller_id": seller_id} if seller_id else {})}}
    body = encode(event)
    response = client.http.post("/webhooks/cmsmart", headers=signed_headers(body), body=body)
    assert response.status_code == expected, response.body
    return json.loads(response.body)


@pytest.fixture
def shared_cart(client):
    """A sells p1 to cust-a and B sells p-b to cust-b, both on order id CART."""
    a = deliver(client, payment_event(seller_id="acme", order_id=CART, customer_id="cust-a",
                                      product_id="p1", payment_id="pay-a"))
    b = deliver(client, payment_event(seller_id="globex", order_id=CART, customer_id="cust-b",
                                      product_id="p-b", payment_id="pay-b"))
    assert (list(a["order"]["payments"]), list(b["order"]["payments"])) == (["pay-a"], ["pay-b"])
    assert b["order"]["timers"] == [] and b["decisions"] == [], "B's payment judged against A's (CRJ-4)"
    return client


def _entitled(client, ask, customer_id: str) -> tuple[bool, set[str], set[str]]:
    status, body = ask(client, f"/v1/entitlements?customer_id={customer_id}")
    assert status == 200, body
    return body["covered"], {i["payment_id"] for i in body["items"]}, {i["product_id"] for i in body["items"]}


def test_two_sellers_sharing_an_order_id_each_see_only_their_own_order(shared_cart):
    client = shared_cart
    assert _entitled(client, as_a, "cust-a") == (True, {"pay-a"}, {"p1"})
    assert _entitled(client, as_b, "cust-b") == (True, {"pay-b"}, {"p-b"})
    assert _entitled(client, as_a, "cust-b") == (False, set(), set())
    assert _entitled(client, as_b, "cust-a") == (False, set(), set())
    record("isolation", {"money routes, one order id, two sellers": "isolated"})


def test_a_refund_on_a_shared_order_id_reaches_the_right_sellers_order_only(shared_cart):
    client = shared_cart
    by_seller = _refund(client, "globex", "cust-b")
    assert list(by_seller["order"]["payments"]) == ["pay-b"]
    by_customer = _refund(client, None, "cust-a")  # no seller_id: the customer's one order of that id
    assert list(by_customer["order"]["payments"]) == ["pay-a"] and by_customer["order"]["seller_id"] == "acme"
    assert [r[0] for r in by_customer["order"]["refunds"]] == ["r-None-cust-a"]


def test_a_refund_that_cannot_tell_whose_order_it_is_is_a_400_and_changes_nothing(client, services):
    for seller, customer in (("acme", "cust-x"), ("globex", "cust-x")):
        deliver(client, payment_event(seller_id=seller, order_id=CART, customer_id=customer))
    before = dict(services.store.orders)
    answer = _refund(client, None, "cust-x", expected=400)
    assert answer["error"]["details"] == [
        {"field": "data.seller_id", "problem": "required: several sellers have an order with this id"}]
    assert services.store.orders == before


def test_every_v1_route_in_the_openapi_document_has_an_isolation_case():
    assert V1_ROUTES, "the document lists no /v1 route"
    missing = sorted({path for path, _ in V1_ROUTES} - set(ISOLATION))
    assert missing == [], f"add an isolation case for {missing} to ISOLATION"


@pytest.mark.parametrize(("path", "method"), V1_ROUTES, ids=[f"{m} {p}" for p, m in V1_ROUTES])
def test_another_seller_never_sees_the_data_behind(client, world, path, method):
    if path not in ISOLATION:
        pytest.fail(f"{method} {path} has no isolation case")
    ISOLATION[path](client, world)
    record("isolation", {f"{method} {path}": "isolated"})


# Authentication on every /v1 route ------------------------------------------------------

METHODS = {"GET", "POST", "DELETE"}


def good_status(operation: dict) -> int:
    return min(int(code) for code in operation["responses"] if code.startswith("2"))

def concrete(path: str, operation: dict, world: World) -> str:
    """The route filled in so that it answers 200 with a good key (KeyError for a new parameter)."""
    filled = path.format(ticket_id=world.a_open, endpoint_id=world.a_endpoint,
                         notice_id=world.a_notice)
    required = {p["name"]: SHARED[p["name"]] for p in operation.get("parameters", [])
                if p["in"] == "query" and p.get("required")}
    return f"{filled}?{urlencode(required)}" if required else filled


@pytest.mark.parametrize(("path", "method"), V1_ROUTES, ids=[f"{m} {p}" for p, m in V1_ROUTES])
def test_a_missing_or_bad_key_is_a_401_with_the_error_shape_on(client, world, path, method):
    assert method in METHODS, f"{method} {path}: teach this test the new method"
    operation = DOCUMENT["paths"][path][method.lower()]
    url = concrete(path, operation, world)
    body = {"url": "http://127.0.0.1:9/hooks"} if (method, path) == ("POST", "/v1/endpoints") else None
    for name, authorization in BAD_AUTHORIZATIONS.items():
        for attempt in (url, url.split("?")[0]):  # the key is checked before the query
            status, answer = call(client, method, attempt, authorization, body)
            assert status == 401, (name, attempt, answer)
            assert ErrorBody.model_validate(answer).error.code == "unauthorized", (name, answer)
    status, answer = call(client, method, url, f"Bearer {ACME_KEY}", body)  # last: DELETE deletes
    assert status == good_status(operation), "the good key must work, or the 401s above prove nothing"
    record("isolation", {f"{method} {path} bad keys": len(BAD_AUTHORIZATIONS) * 2})
