"""The replay of one ticket with the webhook path's deciders, and how two trails differ."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from chalicelib.domain.decisions import Decision
from chalicelib.domain.model import TicketStatus, Timer
from chalicelib.policy.profile import built_in_profiles
from chalicelib.services.replay import History, replay
from chalicelib.services.whatif_diff import rule_changes

from ..builders import T0
from ..policy_builders import facts, message, ticket

CMSMART = built_in_profiles()["cmsmart"]
H = timedelta(hours=1)


def analyse(message, categories):
    return facts(questions=1)


def d(rule: str, outcome: str, code: str | None = None) -> Decision:
    return Decision(rule, outcome, "why", "cmsmart@1", {}, code)


def test_a_thread_closed_at_its_time_makes_a_later_customer_message_meet_cms6():
    stored = ticket(message(1), message(2, at=T0 + 5 * H), status=TicketStatus.CLOSED,
                    closed_at=T0 + 2 * H, close_reason="thread_closed")
    replayed = replay(stored, CMSMART, History(as_of=T0 + 10 * H), analyse)
    assert replayed.status is TicketStatus.CLOSED and replayed.closed_at == T0 + 2 * H
    assert [(x.rule, x.code) for x in replayed.decisions] == [("CMS-6", "closed_no_reopen")]


def test_a_due_timer_fires_at_its_time_unless_the_store_still_waits_for_it():
    stored = ticket(message(1))
    fired = replay(stored, CMSMART, History(as_of=T0 + 4 * 24 * H), analyse)
    assert (fired.status, fired.close_reason) == (TicketStatus.CLOSED, "expired")
    assert fired.closed_at == T0 + 3 * 24 * H  # at its due time, as the Scheduler fires it
    waiting = replace(stored, timers=(Timer("auto_close", T0 + 3 * 24 * H, 1),))
    assert replay(waiting, CMSMART, History(as_of=T0 + 4 * 24 * H), analyse).is_open
    assert replay(stored, CMSMART, History(as_of=T0 + 24 * H), analyse).is_open


def test_decisions_appear_disappear_or_change_outcome_per_rule():
    before = (d("CMS-3", "reject", "too_few_questions"), d("CMS-9", "flag"), d("CMS-6", "reject"))
    after = (d("CMS-3", "reject", "too_many_questions"), d("CMS-6", "reject"), d("CMS-6", "reject"),
             d("CMS-2", "flag"))
    found = [(c.rule, c.change, c.before, c.after) for c in rule_changes(before, after)]
    assert found == [("CMS-3", "changes", "reject/too_few_questions", "reject/too_many_questions"),
                     ("CMS-6", "appears", None, "reject"), ("CMS-2", "appears", None, "flag"),
                     ("CMS-9", "disappears", "flag", None)]
    assert rule_changes(before, before) == ()


def test_a_difference_is_explained_by_kind_or_left_unexplained():
    from chalicelib.services.whatif_diff import diff, explain
    stored = ticket(message(1), decisions=(replace(d("CMS-9", "flag"), policy=CMSMART.ref),))
    replayed = ticket(message(1))
    assert explain(stored, diff(stored, replayed), CMSMART).explained is None
    older = ticket(message(1), decisions=(d("CMS-9", "flag"),))  # cmsmart@1: another version
    assert explain(older, diff(older, replayed), CMSMART).explained == "profile_version"
    late = ticket(message(2, at=T0 + H), message(1), decisions=(replace(d("CMS-9", "flag"),
                                                                       policy=CMSMART.ref),))
    assert explain(late, diff(late, replayed), CMSMART).explained == "arrival_order"
