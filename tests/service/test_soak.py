"""A smaller soak inside `make test`: the harness of `python -m soak`, in memory and on moto.

Any seed must pass the invariants below (faults only change the order in which things are
applied). Reordering the soak cannot reach deterministically is in test_reordering.py.
"""
from __future__ import annotations


import pytest

from soak.session import Result, Settings, run

pytestmark = pytest.mark.xdist_group("soak")
RUNS = {"memory": Settings(deliveries=2500, seed=3),
        "moto": Settings(deliveries=300, seed=3, backend="moto", round_hours=6, audit_every=2)}


@pytest.fixture(scope="module")
def results() -> dict[str, Result]:
    return {}


def soaked(results: dict, backend: str) -> Result:
    if backend not in results:
        results[backend] = run(RUNS[backend])
    return results[backend]


@pytest.mark.parametrize("backend", list(RUNS))
def test_under_duplicates_reordering_and_faults_nothing_is_lost_doubled_or_unscheduled(results, backend):
    r = soaked(results, backend)
    assert sum(r.lost.values()) == 0, r.lost
    assert sum(r.doubled.values()) == 0, r.doubled
    assert (r.tally.gave_up, dict(r.tally.errors)) == (0, {})  # no 500, no 4xx, every 503 retried through
    assert (r.missing, r.missing_seen) == (0, 0)
    assert r.replay_mismatches == 0  # the same changes applied serially give the very same state
    assert sum(r.unexplained.values()) == 0, r.unexplained
    assert r.reference_problems == 0  # the clean in-order run itself is consistent


@pytest.mark.parametrize("backend", list(RUNS))
def test_the_soak_exercised_duplicates_faults_and_retries(results, backend):
    r = soaked(results, backend)
    t = r.tally
    assert t.deliveries["duplicate"] >= 0.25 * sum(t.deliveries.values()) and t.duplicate_answers > 0
    assert t.retries > 0 and r.counts["repaired"] > 0 and r.counts["timer_firings"] > 0
    kinds = " ".join(r.faults)
    for kind in ("throttling", "5xx", "timeout", "answer lost", "Scheduler"):
        assert kind in kinds, f"no {kind} fault injected: {r.faults}"


def test_tight_pairs_were_swapped_and_gave_the_documented_differences(results):
    r = soaked(results, "memory")
    assert all(swapped > 0 for swapped, _ in r.pairs.values()), r.pairs
    assert {"CMS-6 refusals", "CRJ-4 pending notices"} <= set(r.explained)


def test_no_schedule_is_left_orphaned_after_a_reconciler_pass():
    r = run(Settings(deliveries=2000, seed=5, fault_rate=0.3))
    assert (r.orphans, r.orphans_seen) == (0, 0)
