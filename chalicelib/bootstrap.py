"""The composition root: Lambda, local mode and tests all wire the app here."""
from __future__ import annotations

from dataclasses import dataclass

from chalicelib.policy.catalog import ProfileCatalog
from chalicelib.services.clock import OffsetClock, SystemClock
from chalicelib.services.credentials import CredentialKeeper
from chalicelib.services.endpoint_status import StoredEndpointHealth
from chalicelib.services.handlers import WebhookHandlers
from chalicelib.services.ingest import WebhookIngest
from chalicelib.services.loaders import Loader
from chalicelib.services.profiles import Profiles
from chalicelib.services.secrets import TenantsWithSecrets
from chalicelib.services.ports import (Clock, CredentialVault, TenantDirectory, TicketStore,
                                       TimerScheduler)
from chalicelib.services.status import StatusService
from chalicelib.services.summary import SummaryService
from chalicelib.services.timer_sync import TimerSync
from chalicelib.services.timers import TimerHandlers
from chalicelib.services import outbound_wiring
from chalicelib.settings import Settings


@dataclass
class Services:
    settings: Settings
    store: TicketStore
    tenants: TenantDirectory
    scheduler: TimerScheduler
    clock: Clock
    profiles: Profiles
    ingest: WebhookIngest
    status: StatusService
    summary: SummaryService
    timers: TimerHandlers
    timer_sync: TimerSync
    outbound: outbound_wiring.Outbound | None = None  # notices: store, dispatcher, consumer, API


def build(*, settings: Settings | None = None, store: TicketStore | None = None,
          tenants: TenantDirectory | None = None, scheduler: TimerScheduler | None = None,
          clock: Clock | None = None, wall_clock: Clock | None = None,
          vault: CredentialVault | None = None, outbound_store=None, sender=None,
          url_guard=None) -> Services:
    settings = settings or Settings.from_env()
    store = store or _dynamo_store(settings)
    tenants = tenants or _dynamo_tenants(settings)
    scheduler = scheduler or _eventbridge_timers(settings)
    clock = clock or (OffsetClock() if settings.local_mode else SystemClock())
    profiles = Profiles(tenants=tenants, catalog=ProfileCatalog(settings.profile_dirs))
    timer_sync = TimerSync(store=store, scheduler=scheduler)
    if hasattr(store, "stream_to"):  # the in-memory store's stream: delivered as it commits
        store.stream_to(timer_sync.consume)
    vault = vault or _kms_vault(settings)
    loader = Loader(store=store, profiles=profiles)
    handlers = WebhookHandlers(store=store, loader=loader, profiles=profiles,
                               keeper=CredentialKeeper(vault), analyse=_analyser())
    wall_clock = wall_clock or SystemClock()
    ingest = WebhookIngest(tenants=tenants, handlers=handlers, clock=clock, wall_clock=wall_clock)
    url_guard = url_guard or _url_guard(settings)
    outbound = outbound_wiring.build(
        store=outbound_store or store.companion_outbound(), vault=vault, scheduler=scheduler,
        clock=clock, wall_clock=wall_clock, url_guard=url_guard,
        sender=sender or _http_sender(url_guard))
    return Services(settings=settings, store=store, tenants=tenants, scheduler=scheduler,
                    clock=clock, profiles=profiles, ingest=ingest,
                    status=StatusService(store=store, tenants=tenants, profiles=profiles,
                                         vault=vault),
                    summary=SummaryService(store=store, profiles=profiles,
                                           endpoints=StoredEndpointHealth(outbound.store)),
                    timers=TimerHandlers(store=store, loader=loader,
                                         clock=clock, dispatcher=outbound.dispatcher),
                    timer_sync=timer_sync, outbound=outbound)


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


def _url_guard(settings: Settings):
    from chalicelib.adapters.url_guard import UrlGuard
    return UrlGuard(allow_local=settings.local_mode)


def _http_sender(url_guard):
    from chalicelib.adapters.http_sender import HttpSender
    return HttpSender(url_guard)


def _kms_vault(settings: Settings) -> CredentialVault:
    from chalicelib.adapters.aws import client
    from chalicelib.adapters.kms_vault import KmsVault
    return KmsVault(client("kms"), settings.vault_key_id)


def _eventbridge_timers(settings: Settings) -> TimerScheduler:
    from chalicelib.adapters.aws import client
    from chalicelib.adapters.scheduler import EventBridgeTimers
    settings.require_scheduler_target()
    return EventBridgeTimers(client("scheduler"), group=settings.schedule_group,
                             target_arn=settings.timer_function_arn,
                             role_arn=settings.scheduler_role_arn)
