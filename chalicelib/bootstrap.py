"""The composition root: Lambda, local mode and tests all wire the app here."""
from __future__ import annotations

from dataclasses import dataclass

from chalicelib.policy.catalog import ProfileCatalog
from chalicelib.services.clock import OffsetClock, SystemClock
from chalicelib.services.handlers import WebhookHandlers
from chalicelib.services.ingest import WebhookIngest
from chalicelib.services.orders import OrderService
from chalicelib.services.policy import PolicyService
from chalicelib.services.credentials import CredentialKeeper
from chalicelib.services.secrets import TenantsWithSecrets
from chalicelib.services.ports import (Clock, CredentialVault, TenantDirectory, TicketStore,
                                       TimerScheduler)
from chalicelib.services.status import StatusService
from chalicelib.services.summary import SummaryService
from chalicelib.services.timer_sync import TimerSync
from chalicelib.services.timers import TimerService
from chalicelib.settings import Settings


@dataclass
class Services:
    settings: Settings
    store: TicketStore
    tenants: TenantDirectory
    scheduler: TimerScheduler
    clock: Clock
    policy: PolicyService
    ingest: WebhookIngest
    status: StatusService
    summary: SummaryService
    timers: TimerService
    timer_sync: TimerSync


def build(*, settings: Settings | None = None, store: TicketStore | None = None,
          tenants: TenantDirectory | None = None, scheduler: TimerScheduler | None = None,
          clock: Clock | None = None, wall_clock: Clock | None = None,
          vault: CredentialVault | None = None) -> Services:
    settings = settings or Settings.from_env()
    store = store or _dynamo_store(settings)
    tenants = tenants or _dynamo_tenants(settings)
    scheduler = scheduler or _eventbridge_timers(settings)
    clock = clock or (OffsetClock() if settings.local_mode else SystemClock())
    policy = PolicyService(store=store, tenants=tenants, catalog=ProfileCatalog(settings.profile_dirs),
                           analyse=_analyser())
    timer_sync = TimerSync(store=store, scheduler=scheduler)
    vault = vault or _kms_vault(settings)
    handlers = WebhookHandlers(store=store, policy=policy, timer_sync=timer_sync,
                               orders=OrderService(store=store, policy=policy),
                               keeper=CredentialKeeper(vault))
    ingest = WebhookIngest(tenants=tenants, handlers=handlers, clock=clock,
                           wall_clock=wall_clock or SystemClock())
    return Services(settings=settings, store=store, tenants=tenants, scheduler=scheduler,
                    clock=clock, policy=policy, ingest=ingest,
                    status=StatusService(store=store, tenants=tenants, policy=policy, vault=vault),
                    summary=SummaryService(store=store, policy=policy),
                    timers=TimerService(handlers=handlers, clock=clock), timer_sync=timer_sync)


def _analyser():
    from chalicelib.text.analysis import analyse
    return analyse


def warm_up() -> None:
    """The Lambda init phase: load language profiles and lexicons before the first request."""
    from chalicelib.text.analysis import warm_up as warm_text
    warm_text()


def _dynamo_store(settings: Settings) -> TicketStore:
    from chalicelib.adapters.aws import client
    from chalicelib.adapters.dynamo.store import DynamoTicketStore
    return DynamoTicketStore(client("dynamodb"), settings.table_name)


def _dynamo_tenants(settings: Settings) -> TenantDirectory:
    from chalicelib.adapters.aws import client
    from chalicelib.adapters.dynamo.tenants import DynamoTenants
    tenants = DynamoTenants(client("dynamodb"), settings.table_name)
    if not settings.secrets_path:
        return tenants
    from chalicelib.adapters.ssm_secrets import SsmSecrets
    return TenantsWithSecrets(tenants, SsmSecrets(client("ssm"), settings.secrets_path))


def _kms_vault(settings: Settings) -> CredentialVault:
    from chalicelib.adapters.aws import client
    from chalicelib.adapters.kms_vault import KmsVault
    return KmsVault(client("kms"), settings.vault_key_id)


def _eventbridge_timers(settings: Settings) -> TimerScheduler:
    from chalicelib.adapters.aws import client
    from chalicelib.adapters.scheduler import EventBridgeTimers
    return EventBridgeTimers(client("scheduler"), group=settings.schedule_group,
                             target_arn=settings.timer_function_arn,
                             role_arn=settings.scheduler_role_arn)
