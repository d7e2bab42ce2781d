"""What-if on the soak workload: the replay of the current profile reproduces the stored
decisions (every difference explained), a changed CMS-3 lists exactly the tickets it
concerns, and nothing is written."""
from __future__ import annotations

import copy
import logging
from datetime import timedelta
from types import SimpleNamespace
from typing import NamedTuple

import pytest

from chalicelib.domain.model import Author
from chalicelib.policy.catalog import ProfileCatalog
from chalicelib.policy.profile import BUILT_IN, parse_profile
from chalicelib.services.profiles import Profiles
from chalicelib.services.whatif import WhatIf
from chalicelib.services.whatif_diff import EXPLANATIONS
from chalicelib.text.analysis import analyse
from soak.faults import FaultPlan
from soak.runner import Chaos, Runner
from soak.session import START, Settings, make_env, unique_events
from soak.stories import generate

pytestmark = pytest.mark.xdist_group("soak")
SOAK = Settings(deliveries=1500, seed=3)
PROFILE_OF = {"acme": "cmsmart", "jetty": "crmjetty"}


@pytest.fixture(scope="module")
def soaked():
    """The faulty soak run (duplicates, reordering, injected faults): its store is the history."""
    logger = logging.getLogger("ticketwarden")
    level, _ = logger.level, logger.setLevel(logging.CRITICAL)
    try:
        env = make_env("memory", FaultPlan(SOAK.fault_rate, SOAK.seed))
        events = generate(unique_events(SOAK), SOAK.seed, START)
        Runner(env, events, Chaos(SOAK.seed, SOAK.jitter_seconds, SOAK.duplicate_share,
                                  SOAK.resent_share), timedelta(hours=SOAK.round_hours), 1).run()
    finally:
        logger.setLevel(level)
    return env


class History(NamedTuple):
    """What whatif() needs of a run: its store, its clock and its tenants."""

    store: object
    clock: object
    services: object


def whatif(env, **options) -> WhatIf:
    profiles = Profiles(tenants=env.services.tenants, catalog=ProfileCatalog(()))
    return WhatIf(env.store, profiles, analyse, as_of=env.clock.now, **options)


def built_in(name: str, *changes: tuple[str, str]):
    text = (BUILT_IN / f"{name}.yaml").read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text
        text = text.replace(old, new)
    return parse_profile(text, f"{name}-candidate.yaml")


@pytest.mark.parametrize("seller", list(PROFILE_OF))
def test_replaying_the_current_profile_changes_nothing_and_explains_every_difference(soaked, seller):
    report = whatif(soaked).run(seller, built_in(PROFILE_OF[seller]))
    assert report.tickets > 40 and report.replayed > 40
    assert report.changed == []
    assert report.unexplained == [], [t.view() for t in report.unexplained]
    assert set(report.explained) <= set(EXPLANATIONS)


def test_the_soak_history_holds_differences_the_replay_must_explain(soaked):
    """Not a vacuous check: the faulty run reordered deliveries, so some tickets differ."""
    report = whatif(soaked).run("acme", built_in("cmsmart"))
    assert sum(report.explained.values()) > 0
    assert report.other_profile  # acme's PrestaShop tickets are not re-judged by a cmsmart profile


@pytest.fixture(scope="module")
def simulated():
    """The bench simulator's life cycles (its corpus asks 0 to 5 questions), one seller."""
    from bench import whatif as bench_whatif
    from bench.wiring import marketplaces
    from chalicelib.adapters.memory import InMemoryTenants
    from chalicelib.services.clock import FixedClock
    tenants = InMemoryTenants()
    for marketplace in marketplaces():
        tenants.add_marketplace(marketplace)
    return History(bench_whatif.build(400, 400), FixedClock(START + timedelta(days=60)),
                   SimpleNamespace(tenants=tenants))


def test_the_simulated_history_replays_without_unexplained_differences(simulated):
    report = whatif(simulated).run("bench-seller", built_in("cmsmart"))
    assert report.tickets == 400 and report.replayed > 100
    assert (report.changed, report.unexplained) == ([], [])


def test_cms3_at_most_one_question_lists_exactly_the_tickets_with_two_or_three(simulated):
    candidate = built_in("cmsmart", ("{min: 1, max: 3}", "{min: 1, max: 1}"))
    report = whatif(simulated).run("bench-seller", candidate)
    expected = set()
    for summary in whatif(simulated).tickets("bench-seller", None, None):
        if summary.marketplace != "cmsmart":
            continue
        first = min((m for m in summary.messages if m.author is Author.CUSTOMER),
                    key=lambda m: (m.sent_at, m.message_id))
        if analyse(first.body, ()).question_count in (2, 3):
            expected.add(summary.id)
    assert len(expected) >= 5
    assert {t.ticket_id for t in report.changed} == expected
    assert report.by_rule["CMS-3"]["appears"] == len(expected)
    for found in report.changed:
        cms3 = [c for c in found.changes if c.rule == "CMS-3"]
        assert cms3[0].after == "reject/too_many_questions" and cms3[0].evidence["max"] == 1


def test_a_window_limits_the_tickets_read(soaked):
    everything = whatif(soaked).run("acme", built_in("cmsmart"))
    since, until = START + timedelta(days=2), START + timedelta(days=4)
    windowed = whatif(soaked).run("acme", built_in("cmsmart"), since, until)
    opened = [t.opened_at for t in whatif(soaked).tickets("acme", since, until)]
    assert 0 < windowed.tickets == len(opened) < everything.tickets
    assert all(since <= at < until for at in opened)


def test_long_runs_report_progress_and_read_page_after_page(soaked):
    lines: list[str] = []
    report = whatif(soaked, progress=lines.append, page_size=7, progress_every=25).run(
        "acme", built_in("cmsmart"))
    assert len(lines) == report.tickets // 25 and "tickets read" in lines[0]


def test_whatif_writes_nothing(soaked):
    store = soaked.store
    before = copy.deepcopy((store.tickets, store.orders, store.slots, store.deliveries,
                            store.vault, store.early_closes))
    whatif(soaked).run("acme", built_in("cmsmart", ("{min: 1, max: 3}", "{min: 1, max: 1}")))
    whatif(soaked).shadow("acme")
    assert (store.tickets, store.orders, store.slots, store.deliveries, store.vault,
            store.early_closes) == before
