"""Schemathesis against /openapi.json of the local stack: no generated request gets a 5xx.

Every operation of the document is fuzzed (positive and negative data, coverage phase
included) with a valid seller key for the /v1 routes; the responses must be documented
(status, content type, schema). The webhook route is run twice: unsigned (all 401 or 404),
then with each generated body signed by the marketplace secret so it reaches validation.
Each test records its figures (cases and statuses per operation) in build/attack-figures.json
and checks its minimum number of cases at teardown, so it holds however xdist splits the module.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import uuid
from collections import Counter, defaultdict
from typing import Callable
from datetime import datetime, timezone

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from pydantic import ValidationError
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance,
                                               response_schema_conformance,
                                               status_code_conformance)
from standardwebhooks.webhooks import Webhook

from chalicelib.api.wire_out import ErrorBody
from evaluation.attack_report import record

from .helpers import api_key, secret

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

SEED = 20261123
SIGNED, GENERATED_HEADERS = "POST /webhooks/cmsmart (signed)", "POST /webhooks/cmsmart (generated headers)"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
SIGNED_STATUSES = {200, 400, 409, 413, 415}
UNSIGNED_STATUSES = {401, 404, 413, 415}
FUZZ = settings(max_examples=120, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))


def _config() -> schemathesis.Config:
    return schemathesis.Config.from_dict({
        "seed": SEED,
        "generation": {"mode": "all", "deterministic": True},
        "auth": {"openapi": {"apiKey": {"bearer": api_key("acme-modules")}}},
        "request-timeout": 30,
        "phases": {"coverage": {"unexpected-methods": ["PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"]}},
    })


@pytest.fixture(scope="module")
def api_schema(local_stack):
    return schemathesis.openapi.from_url(f"{local_stack}/openapi.json", config=_config())


@pytest.fixture(scope="module")
def signed_session():
    with requests.Session() as session:
        session.auth = StandardWebhooksSigner(secret("cmsmart"))
        # Keep-alive costs ~40 ms a request here (Nagle x delayed ACK in chalice's local server).
        session.headers["Connection"] = "close"
        yield session


@pytest.fixture(autouse=True)
def node_id_for_schemathesis(request):
    """schemathesis 4.32 relabels subtests through `node._nodeid`, which pytest 9.2 no longer has."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


def at_least(cases: int) -> Callable[[dict[str, Counter]], None]:
    def check(statuses: dict[str, Counter]) -> None:
        assert sum(sum(c.values()) for c in statuses.values()) >= cases
    return check


def signed_bodies_reach_both_outcomes(statuses: dict[str, Counter]) -> None:
    at_least(1_000)(statuses)
    assert statuses[SIGNED][200] > 0 and statuses[SIGNED][400] > 0, dict(statuses[SIGNED])


MINIMUM = {"test_no_generated_request_gets_a_server_error_or_an_undocumented_answer": at_least(1_000),
           "test_signed_generated_webhooks_are_processed_or_refused_with_the_error_shape":
               signed_bodies_reach_both_outcomes}


@pytest.fixture
def statuses(request):
    """Statuses per operation for one test; recorded, then held to the test's minimum."""
    counts: dict[str, Counter] = defaultdict(Counter)
    yield counts
    record("schemathesis", {request.node.name: {
        "seed": SEED,
        "cases": sum(sum(c.values()) for c in counts.values()),
        "server_errors": sum(n for c in counts.values() for status, n in c.items() if status >= 500),
        "statuses_by_operation": {label: dict(sorted(c.items())) for label, c in sorted(counts.items())},
    }})
    MINIMUM[request.node.name](counts)


def raw_signature(secret_value: str, webhook_id: str, now: datetime, body: bytes) -> str:
    """Standard Webhooks v1 over bytes: base64(HMAC-SHA256(key, "{id}.{timestamp}." + body))."""
    key = base64.b64decode(secret_value.removeprefix("whsec_"))
    signed = f"{webhook_id}.{int(now.timestamp())}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def test_the_raw_signature_is_the_packages_signature_on_text():
    now = datetime(2026, 11, 23, 9, tzinfo=timezone.utc)
    assert raw_signature(secret("cmsmart"), "wh_1", now, '{"é": 1}'.encode()) == \
        Webhook(secret("cmsmart")).sign("wh_1", now, '{"é": 1}')


class StandardWebhooksSigner(requests.auth.AuthBase):
    """Signs the exact bytes requests is about to send, as a marketplace would."""

    def __init__(self, secret_value: str):
        self.secret = secret_value
        self.webhook = Webhook(secret_value)
        self.prefix = f"wh_st_{uuid.uuid4().hex[:8]}"
        self.ids = itertools.count(1)

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        body = request.body or b""
        body = body.encode("utf-8") if isinstance(body, str) else body
        webhook_id, now = f"{self.prefix}_{next(self.ids)}", datetime.now(timezone.utc)
        request.headers["webhook-id"] = webhook_id
        request.headers["webhook-timestamp"] = str(int(now.timestamp()))
        request.headers["webhook-signature"] = self._sign(webhook_id, now, body)
        return request

    def _sign(self, webhook_id: str, now: datetime, body: bytes) -> str:
        """The package signs text; a generated body that is not UTF-8 is signed by the same
        scheme over its raw bytes (checked against the package on a UTF-8 body in the test)."""
        try:
            return self.webhook.sign(webhook_id, now, body.decode("utf-8"))
        except UnicodeDecodeError:
            return raw_signature(self.secret, webhook_id, now, body)


schema = schemathesis.pytest.from_fixture("api_schema")
webhook_schema = schema.include(path="/webhooks/{marketplace}")


@schema.parametrize()
@FUZZ
def test_no_generated_request_gets_a_server_error_or_an_undocumented_answer(case, statuses):
    response = case.call()
    statuses[case.operation.label][response.status_code] += 1
    case.validate_response(response, checks=CHECKS)
    if case.operation.path == "/webhooks/{marketplace}" and case.method.upper() == "POST":
        assert response.status_code in UNSIGNED_STATUSES, "an unsigned webhook was accepted"


@webhook_schema.parametrize()
@FUZZ
def test_signed_generated_webhooks_are_processed_or_refused_with_the_error_shape(case, signed_session,
                                                                              statuses):
    if case.method.upper() != "POST":
        return  # wrong methods are the first test's business
    case.path_parameters["marketplace"] = "cmsmart"
    unsigned = case.call()
    statuses[GENERATED_HEADERS][unsigned.status_code] += 1
    assert unsigned.status_code in UNSIGNED_STATUSES - {404}, "an unsigned webhook was accepted"
    response = case.call(session=signed_session)
    statuses[SIGNED][response.status_code] += 1
    case.validate_response(response, checks=CHECKS)
    assert response.status_code in SIGNED_STATUSES, response.text[:500]
    if response.status_code != 200:
        try:
            ErrorBody.model_validate(response.json())
        except ValidationError as exc:
            pytest.fail(f"{response.status_code} without the error shape: {exc}")


def test_a_method_the_api_does_not_know_is_a_4xx_not_a_5xx(local_stack):
    response = requests.request("TRACE", f"{local_stack}/v1/tickets", timeout=10,
                                headers={"Connection": "close"})
    assert 400 <= response.status_code < 500
