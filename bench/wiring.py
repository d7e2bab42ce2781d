"""The services as the bench drives them: in-memory fakes, or DynamoDB + Scheduler + KMS on
moto in-process, always through `bootstrap.build`; and one way to deliver an event."""
from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime

from chalicelib.api import direct
from chalicelib import bootstrap
from chalicelib.adapters.kms_vault import FakeVault
from chalicelib.adapters.memory import InMemoryTenants, InMemoryTicketStore
from chalicelib.adapters.memory_timers import InMemoryTimers
from chalicelib.domain.model import Marketplace, Seller
from chalicelib.services.clock import FixedClock
from chalicelib.settings import Settings
from tests.builders import SECRET

from . import aws_test_env
from .meter import CallMeter
from .workload import PROFILES

TABLE, GROUP, KEY = "ticketwarden-bench", "ticketwarden", "alias/ticketwarden-bench-vault"
TARGET = "arn:aws:lambda:eu-west-1:123456789012:function:ticketwarden-dev-timer"
ROLE = "arn:aws:iam::123456789012:role/ticketwarden-dev-scheduler"


# every seller the workloads name (bench/workload.py, cpu.py, stages.py, cold_child.py): an
# unknown seller is a 400 (issue 15), so the bench registers them as a marketplace would
SELLERS = tuple(f"{mp}-s{n}" for mp in PROFILES for n in range(20)) + tuple(f"s{n}" for n in range(7)) + ("s",)


def marketplaces() -> list[Marketplace]:
    return [Marketplace(name=name, policy=profile, secrets=(SECRET,)) for name, profile in PROFILES.items()]


def memory_services(now: datetime, scheduler=None) -> bootstrap.Services:
    tenants = InMemoryTenants()
    for marketplace in marketplaces():
        tenants.add_marketplace(marketplace)
    for seller in SELLERS:
        tenants.add_seller(Seller(seller))
    return bootstrap.build(settings=Settings(), store=InMemoryTicketStore(), tenants=tenants,
                           scheduler=scheduler or InMemoryTimers(), clock=FixedClock(now),
                           vault=FakeVault())


@dataclass
class MotoStack:
    services: bootstrap.Services
    meter: CallMeter
    dynamodb: object
    scheduler: object


@contextlib.contextmanager
def moto_stack(now: datetime):
    """DynamoDB (the tested local-mode transaction patch: moto's own copies the whole table per
    item), EventBridge Scheduler and KMS on moto; tenants in the table, read through the cache."""
    aws_test_env()
    import boto3
    from moto import mock_aws

    from chalicelib.adapters.dynamo.schema import create_table
    from chalicelib.adapters.dynamo.store import DynamoTicketStore
    from chalicelib.adapters.dynamo.tenants import DynamoTenants
    from chalicelib.adapters.kms_vault import KmsVault, ensure_key
    from chalicelib.adapters.scheduler import EventBridgeTimers, ensure_group
    from chalicelib.local import moto_dynamodb

    moto_dynamodb.install()
    try:
        with mock_aws():
            dynamodb, kms, scheduler = (boto3.client(s, region_name="eu-west-1")
                                        for s in ("dynamodb", "kms", "scheduler"))
            create_table(dynamodb, TABLE)
            ensure_key(kms, KEY)
            ensure_group(scheduler, GROUP)
            tenants = DynamoTenants(dynamodb, TABLE)
            for marketplace in marketplaces():
                tenants.put_marketplace(marketplace)
            for seller in SELLERS:
                tenants.put_seller(Seller(seller))
            timers = EventBridgeTimers(scheduler, group=GROUP, target_arn=TARGET, role_arn=ROLE)
            services = bootstrap.build(settings=Settings(), store=DynamoTicketStore(dynamodb, TABLE),
                                       tenants=tenants, scheduler=timers, clock=FixedClock(now),
                                       vault=KmsVault(kms, KEY))
            meter = CallMeter()
            for client in (dynamodb, kms, scheduler):
                meter.attach(client)
            yield MotoStack(services, meter, dynamodb, scheduler)
    finally:
        moto_dynamodb.uninstall()


def warm_tenants(services: bootstrap.Services, sellers) -> None:
    """Fill the tenant cache (60 s TTL per container) so counts show the steady state."""
    for name in PROFILES:
        services.ingest.marketplace(name)
    for seller_id in sellers:
        services.tenants.seller(seller_id)


def deliver(services: bootstrap.Services, marketplace: str, event: dict, webhook_id: str):
    return direct.deliver(services, event, marketplace, webhook_id)
