"""The soak on moto: DynamoDB (with local mode's transaction patch) and EventBridge Scheduler.

Faults are injected below the adapters with botocore hooks on the app's clients: a
`before-call` handler answers for the service (throttling, 5xx, a transaction conflict) or
raises a read timeout before the request; an `after-call` handler on TransactWriteItems
raises a read timeout *after* moto applied it (the answer was lost). The Scheduler side
(listing and firing due schedules, like the local pump) and the final reads use clean clients.
"""
from __future__ import annotations

import logging
import os
from datetime import datetime

import boto3
from botocore.config import Config
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ReadTimeoutError
from moto import mock_aws

from chalicelib import bootstrap
from chalicelib.adapters.dynamo.schema import create_table
from chalicelib.adapters.dynamo.store import DynamoTicketStore
from chalicelib.adapters.kms_vault import FakeVault
from chalicelib.adapters.scheduler import EventBridgeTimers, ensure_group
from chalicelib.domain.errors import DependencyError
from chalicelib.domain.events import TimerFired
from chalicelib.local import moto_dynamodb
from chalicelib.adapters.dynamo.stream_reader import StreamReader
from chalicelib.api import notifier
from chalicelib.local.notifier import StreamPump
from chalicelib.local.pump import TimerPump
from chalicelib.settings import Settings

from .envs import BaseEnv, tenants
from .faults import SCHEDULER_KINDS, STORE_KINDS, FaultPlan, FaultyVault

REGION, TABLE, GROUP = "eu-west-1", "ticketwarden-soak", "ticketwarden"
TARGET = "arn:aws:lambda:eu-west-1:123456789012:function:ticketwarden-soak-timer"
ROLE = "arn:aws:iam::123456789012:role/ticketwarden-soak-scheduler"
ERRORS = {"dynamodb": {"throttling": ("ProvisionedThroughputExceededException", 400),
                       "5xx": ("InternalServerError", 500)},
          "scheduler": {"throttling": ("ThrottlingException", 400),
                        "5xx": ("InternalServerException", 500)}}


def _error(service: str, code: str, status: int, **extra):
    return (AWSResponse(f"https://{service}.{REGION}.amazonaws.com", status, {}, None),
            {"Error": {"Code": code, "Message": "injected"}, "ResponseMetadata": {"HTTPStatusCode": status},
             **extra})


class _Recorded:
    """The Dynamo store, telling the env which change it is committing (see the after-call hook)."""

    def __init__(self, inner, env):
        self.inner, self.env = inner, env

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def commit(self, change) -> None:
        self.env.committing = change
        try:
            self.inner.commit(change)
        finally:
            self.env.committing = None
        self.env.record(change)


class MotoEnv(BaseEnv):
    def __init__(self, plan: FaultPlan, start: datetime):
        super().__init__(plan, start)
        self._endpoint = os.environ.pop("AWS_ENDPOINT_URL", None)
        self._mock = mock_aws()
        self._mock.start()
        self._patched_here = not moto_dynamodb._installed
        moto_dynamodb.install()
        self.committing = None
        clean = boto3.client("dynamodb", region_name=REGION)
        create_table(clean, TABLE)
        self.store = DynamoTicketStore(clean, TABLE)
        self.scheduler_client = boto3.client("scheduler", region_name=REGION)
        ensure_group(self.scheduler_client, GROUP)
        dynamodb, scheduler = boto3.client("dynamodb", region_name=REGION), boto3.client("scheduler", region_name=REGION)
        dynamodb.meta.events.register("before-call.dynamodb", self._before("dynamodb", STORE_KINDS))
        dynamodb.meta.events.register("after-call.dynamodb.TransactWriteItems", self._answer_lost)
        scheduler.meta.events.register("before-call.scheduler", self._before("scheduler", SCHEDULER_KINDS))
        timers = EventBridgeTimers(scheduler, group=GROUP, target_arn=TARGET, role_arn=ROLE, sleep=lambda s: None)
        self.services = bootstrap.build(
            settings=Settings(table_name=TABLE), store=_Recorded(DynamoTicketStore(dynamodb, TABLE), self),
            tenants=tenants(), scheduler=timers, clock=self.clock, vault=FaultyVault(FakeVault(), plan))
        self.services.ingest.handlers.sleep = lambda seconds: None
        self._view = EventBridgeTimers(self.scheduler_client, group=GROUP, target_arn=TARGET, role_arn=ROLE)
        self.settle = self._stream(clean)
        self._pump = TimerPump(self.scheduler_client, GROUP, fire=self._fire_payload,
                               clock=self.clock.now, settle=self.settle)
        logging.getLogger("ticketwarden.pump").setLevel(logging.CRITICAL)

    def _stream(self, clean):
        """The table's stream through the notifier (as Lambda would), read with clean clients;
        the notifier's own DynamoDB and Scheduler calls fail by the plan, and some records are
        lost before it (a backlog past the stream's retention)."""
        streams = boto3.client("dynamodbstreams", region_name=REGION,
                               config=Config(account_id_endpoint_mode="disabled"))

        def handle(event: dict) -> dict:
            kept = [r for r in event["Records"]
                    if "GSI2PK" not in r["dynamodb"].get("NewImage", {}) or self.reaches_consumer()]
            try:
                return notifier.process(self.services, {"Records": kept})
            except DependencyError:  # the batch failed: Lambda would retry it
                return {"batchItemFailures": [{"itemIdentifier": kept[0]["dynamodb"]["SequenceNumber"]}]
                        if kept else []}
        return StreamPump(StreamReader(clean, streams, TABLE), handle).drain

    def reconcile(self) -> None:
        self.settle()
        super().reconcile()

    def audit(self) -> None:
        self.settle()
        super().audit()

    def _before(self, service: str, kinds: dict):
        def hook(model, **_):
            kind = self.plan.draw(kinds)
            if kind is None:
                return None
            if service == "dynamodb" and model.name == "TransactWriteItems" and self.plan.rng.random() < 0.2:
                self.plan.count("DynamoDB TransactionConflict (commit, retried by the handler)")
                return _error(service, "TransactionCanceledException", 400,
                              CancellationReasons=[{"Code": "TransactionConflict"}])
            self.plan.count(f"{'DynamoDB' if service == 'dynamodb' else 'Scheduler'} {kind} ({model.name})")
            if kind == "timeout":
                raise ReadTimeoutError(endpoint_url=f"https://{service}.{REGION}.amazonaws.com")
            return _error(service, *ERRORS[service][kind])
        return hook

    def _answer_lost(self, http_response, **_):
        if http_response.status_code >= 300 or self.committing is None or not self.plan.enabled:
            return
        if self.plan.rng.random() < self.plan.rate / 10:
            self.plan.count("DynamoDB timeout (TransactWriteItems applied, answer lost)")
            self.record(self.committing)
            self.committing = None
            raise ReadTimeoutError(endpoint_url=f"https://dynamodb.{REGION}.amazonaws.com")

    def _fire_payload(self, payload: dict) -> None:
        fired = TimerFired(payload["subject_id"], payload["kind"], payload["version"],
                           datetime.fromisoformat(payload["due_at"]))
        try:
            self.fire(fired)
        except DependencyError:
            self.counts["timer_retries"] += 1
            raise
        self.counts["timer_firings"] += 1

    def fire_due(self, now: datetime) -> None:
        self._pump.fire_due(now)

    def pending(self) -> list:
        return self._view.pending()

    def close(self) -> None:
        self._mock.stop()
        if self._patched_here:
            moto_dynamodb.uninstall()
        if self._endpoint is not None:
            os.environ["AWS_ENDPOINT_URL"] = self._endpoint
