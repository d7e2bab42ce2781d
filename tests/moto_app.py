"""The app on DynamoDB and KMS on moto, for findings that only DynamoDB's own limits show."""
from __future__ import annotations

from collections import Counter
from contextlib import contextmanager

import boto3
from chalice.test import Client
from moto import mock_aws

from chalicelib import bootstrap
from chalicelib.adapters.dynamo.schema import create_table
from chalicelib.adapters.dynamo.store import DynamoTicketStore
from chalicelib.adapters.kms_vault import KmsVault, ensure_key
from chalicelib.adapters.memory_timers import InMemoryTimers
from chalicelib.api import context
from chalicelib.local import moto_dynamodb
from chalicelib.services.clock import FixedClock
from chalicelib.settings import Settings

from . import fakes
from .builders import T0

TABLE, KEY = "hardening", "alias/hardening-vault"


@contextmanager
def moto_client():
    """(chalice test client, calls per AWS service, services); needs the aws_env fixture."""
    moto_dynamodb.install()
    calls: Counter = Counter()
    try:
        with mock_aws():
            dynamodb, kms = boto3.client("dynamodb"), boto3.client("kms")
            create_table(dynamodb, TABLE)
            ensure_key(kms, KEY)
            for service, client in (("dynamodb", dynamodb), ("kms", kms)):
                client.meta.events.register(f"before-call.{service}.*",
                                            lambda service=service, **_: calls.update([service]))
            services = bootstrap.build(settings=Settings(), store=DynamoTicketStore(dynamodb, TABLE),
                                       tenants=fakes.tenants(), scheduler=InMemoryTimers(),
                                       clock=FixedClock(T0), vault=KmsVault(kms, KEY))
            import app
            context.use(services)
            with Client(app.app) as client:
                yield client, calls, services
    finally:
        context.use(None)
        moto_dynamodb.uninstall()
