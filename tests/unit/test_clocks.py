"""SLA clocks and timers (PS-3, CRJ-5, CMS-5, PS-4), pure, on the built-in profiles."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

from chalicelib.domain.model import Author, ClockState, TicketStatus
from chalicelib.policy import clocks, expiry
from chalicelib.policy.closing import close_ticket
from chalicelib.policy.profile import built_in_profiles
from tests.policy_builders import message, ticket

PROFILES = built_in_profiles()
PS, CRJ, CMS = PROFILES["prestashop-business-care"], PROFILES["crmjetty"], PROFILES["cmsmart"]
UTC = timezone.utc


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def opened(profile, when: datetime, **overrides):
    first = message(at=when)
    return clocks.prepare(profile, clocks.on_message(profile, ticket(first, **overrides), first)[0])


def clock(t, name):
    return next(c for c in t.sla if c.name == name)


def test_ps_3_first_response_is_due_one_business_day_later():
    t = opened(PS, at("2026-11-23T10:00:00+01:00"))  # Monday, Paris
    assert clock(t, "first_response").due_at == at("2026-11-24T10:00:00+01:00")


def test_ps_3_a_friday_request_is_due_on_monday_and_holidays_still_count():
    friday = opened(PS, at("2026-11-27T15:00:00+01:00"))
    assert clock(friday, "first_response").due_at == at("2026-11-30T15:00:00+01:00")
    christmas_eve = opened(PS, at("2026-12-24T09:00:00+01:00"))  # Thursday; the 25th counts
    assert clock(christmas_eve, "first_response").due_at == at("2026-12-25T09:00:00+01:00")


def test_ps_3_an_automated_reply_does_not_stop_the_clock_a_personal_one_does():
    t = opened(PS, at("2026-11-23T10:00:00+01:00"))
    auto = message(2, author=Author.SELLER, automated=True, at=at("2026-11-23T10:01:00+01:00"))
    t = clocks.on_message(PS, t, auto)[0]
    assert clock(t, "first_response").state is ClockState.RUNNING
    personal = message(3, author=Author.SELLER, at=at("2026-11-23T15:00:00+01:00"))
    t = clocks.on_message(PS, t, personal)[0]
    assert clock(t, "first_response").state is ClockState.MET


def test_ps_3_a_late_first_answer_is_recorded_as_breached():
    t = opened(PS, at("2026-11-23T10:00:00+01:00"))
    late = message(2, author=Author.SELLER, at=at("2026-11-25T10:00:00+01:00"))
    assert clock(clocks.on_message(PS, t, late)[0], "first_response").state is ClockState.BREACHED


def test_ps_3_reminder_at_75_percent_and_breach_timers():
    t = opened(PS, at("2026-11-23T10:00:00+01:00"))
    kinds = {timer.kind: timer.due_at for timer in t.timers}
    assert kinds == {"sla_reminder:first_response": at("2026-11-24T04:00:00+01:00"),
                     "sla_breach:first_response": at("2026-11-24T10:00:00+01:00")}


def test_crj_5_reply_within_48_business_hours_in_kolkata():
    t = opened(CRJ, at("2026-11-23T10:00:00+05:30"))  # Monday
    assert clock(t, "reply").due_at == at("2026-11-25T10:00:00+05:30")


def test_crj_5_weekend_mail_is_counted_from_monday():
    t = opened(CRJ, at("2026-11-28T11:00:00+05:30"))  # Saturday
    assert clock(t, "reply").due_at == at("2026-12-02T00:00:00+05:30")  # Monday 00:00 + 48 h


def test_crj_5_a_thursday_mail_skips_the_weekend():
    t = opened(CRJ, at("2026-11-26T18:00:00+05:30"))  # Thursday evening
    assert clock(t, "reply").due_at == at("2026-11-30T18:00:00+05:30")  # Monday evening


def test_crj_5_each_unanswered_customer_message_gets_a_clock_after_a_reply():
    t = opened(CRJ, at("2026-11-23T10:00:00+05:30"))
    t = clocks.on_message(CRJ, t, message(2, author=Author.SELLER, at=at("2026-11-23T12:00:00+05:30")))[0]
    t = clocks.on_message(CRJ, t, message(3, at=at("2026-11-24T09:00:00+05:30")))[0]
    assert [(c.name, c.state) for c in t.sla] == [("reply", ClockState.MET), ("reply", ClockState.RUNNING)]


def test_cms_5_auto_close_timer_three_calendar_days_after_opening():
    t = opened(CMS, at("2026-11-27T16:00:00+00:00"))  # a Friday: weekends count
    assert [(x.kind, x.due_at) for x in t.timers] == [("auto_close", at("2026-11-30T16:00:00+00:00"))]


def test_cms_5_firing_closes_the_ticket_as_expired():
    t = opened(CMS, at("2026-11-23T09:00:00+00:00"))
    fired = expiry.decide_timer(CMS, t, "auto_close", t.timer("auto_close").version,
                                at("2026-11-26T09:00:00+00:00"))
    assert (fired.ticket.status, fired.ticket.close_reason) == (TicketStatus.CLOSED, "expired")
    assert [(d.rule, d.outcome, d.code) for d in fired.decisions] == [("CMS-5", "close", "expired")]
    assert [type(a).__name__ for a in fired.actions] == ["Reply", "CloseThread"]
    assert fired.actions[1].thread_id == t.thread_id


def test_a_closed_ticket_wants_no_auto_close_and_pauses_reply_clocks():
    t = opened(PS, at("2026-11-23T10:00:00+01:00"))
    closed = clocks.prepare(PS, close_ticket(PS, t, at("2026-11-23T11:00:00+01:00"), "thread_closed").ticket)
    assert closed.timers == () and clock(closed, "first_response").state is ClockState.PAUSED


def test_ps_4_bug_fix_deadline_counts_from_the_request_until_the_fix():
    t = opened(PS, at("2026-11-23T10:00:00+01:00"))
    confirm = message(2, author=Author.SELLER, tags=("bug_confirmed",), at=at("2026-11-24T10:00:00+01:00"))
    t = clocks.prepare(PS, clocks.on_message(PS, t, confirm)[0])
    assert clock(t, "bugfix").due_at == at("2026-12-23T10:00:00+01:00")
    assert "bugfix_deadline" in {x.kind for x in t.timers}
    fix = message(3, author=Author.SELLER, tags=("fix_released",), at=at("2026-12-01T10:00:00+01:00"))
    t = clocks.prepare(PS, clocks.on_message(PS, t, fix)[0])
    assert clock(t, "bugfix").state is ClockState.MET and "bugfix_deadline" not in {x.kind for x in t.timers}


def test_a_breach_timer_marks_the_clock_breached_with_a_flag():
    t = opened(PS, at("2026-11-23T10:00:00+01:00"))
    fired, decisions = expiry.fire_clock(PS, t, "sla_breach:first_response")
    assert clock(fired, "first_response").state is ClockState.BREACHED
    assert [(d.rule, d.outcome, d.code) for d in decisions] == [("PS-3", "flag", "sla_breached")]


def test_timer_versions_stay_while_their_due_time_is_unchanged():
    t = opened(CMS, at("2026-11-23T09:00:00+00:00"))
    later = replace(t, version=5)
    assert clocks.desired_timers(CMS, later) == t.timers
    assert clocks.with_timers(CMS, later) is later


# Late firings and late deliveries: the clocks of an in-order delivery, each breach once ------

def breaches(t):
    return [(d.rule, d.evidence["clock"]) for d in t.decisions if d.code == "sla_breached"]


def delivered(profile, t, m):
    """A message lands on the ticket, as the handler does it."""
    return clocks.prepare(profile, clocks.after_message(profile, t.with_message(m), m)[0])


def test_ps_3_a_clock_past_due_at_the_close_is_breached_by_the_close():
    t = opened(PS, at("2026-11-23T10:00:00+01:00"))
    closed = clocks.prepare(PS, close_ticket(PS, t, at("2026-11-24T11:00:00+01:00"), "thread_closed").ticket)
    assert clock(closed, "first_response").state is ClockState.BREACHED and closed.timers == ()
    assert breaches(closed) == [("PS-3", "first_response")]


def test_ps_3_a_late_answer_records_the_breach_at_once_and_the_timer_goes():
    t = opened(PS, at("2026-11-23T10:00:00+01:00"))  # due 2026-11-24 10:00; the timer has not fired
    late = message(2, author=Author.SELLER, at=at("2026-11-24T12:00:00+01:00"))
    answered = delivered(PS, t, late)
    assert breaches(answered) == [("PS-3", "first_response")]
    assert "sla_breach:first_response" not in {x.kind for x in answered.timers}


def test_ps_3_an_answer_after_the_breach_timer_fired_adds_no_second_breach():
    t = opened(PS, at("2026-11-23T10:00:00+01:00"))
    fired, decisions = expiry.fire_clock(PS, t, "sla_breach:first_response")
    fired = fired.with_decisions(decisions)
    answered = delivered(PS, fired, message(2, author=Author.SELLER, at=at("2026-11-24T12:00:00+01:00")))
    assert breaches(answered) == [("PS-3", "first_response")]


def test_ps_3_an_answer_that_overtook_the_request_still_meets_the_clock():
    answer = message(2, author=Author.SELLER, at=at("2026-11-23T12:00:00+01:00"))
    t = clocks.prepare(PS, clocks.on_message(PS, ticket(answer), answer)[0])  # delivered first
    t = delivered(PS, t, message(1, at=at("2026-11-23T10:00:00+01:00")))  # the request, retried
    assert clock(t, "first_response").state is ClockState.MET and t.timers == ()


def test_crj_5_a_follow_up_delivered_after_the_reply_is_not_left_running():
    t = opened(CRJ, at("2026-11-23T10:00:00+05:30"))
    t = delivered(CRJ, t, message(3, author=Author.SELLER, at=at("2026-11-23T12:00:00+05:30")))
    t = delivered(CRJ, t, message(2, at=at("2026-11-23T11:00:00+05:30")))  # sent before the reply
    assert [(c.name, c.state) for c in t.sla] == [("reply", ClockState.MET)] and t.timers == ()


def test_ps_3_an_answer_sent_before_the_close_but_delivered_after_it_counts():
    t = opened(PS, at("2026-11-23T10:00:00+01:00"))
    t = clocks.prepare(PS, close_ticket(PS, t, at("2026-11-23T15:00:00+01:00"), "thread_closed").ticket)
    t = delivered(PS, t, message(2, author=Author.SELLER, at=at("2026-11-23T14:00:00+01:00")))
    assert clock(t, "first_response").state is ClockState.MET


def test_ps_3_a_message_after_the_close_starts_no_clock_and_a_replay_keeps_a_breach():
    t = opened(PS, at("2026-11-23T10:00:00+01:00"))
    t = clocks.prepare(PS, close_ticket(PS, t, at("2026-11-25T10:00:00+01:00"), "thread_closed").ticket)
    t = delivered(PS, t, message(2, at=at("2026-11-25T11:00:00+01:00")))
    t = delivered(PS, t, message(3, author=Author.SELLER, at=at("2026-11-24T12:00:00+01:00")))
    assert [(c.name, c.state) for c in t.sla] == [("first_response", ClockState.BREACHED)]
    assert breaches(t) == [("PS-3", "first_response")]


def test_ps_4_a_fix_released_after_the_close_stops_the_bug_fix_clock():
    t = opened(PS, at("2026-11-23T10:00:00+01:00"))
    t = delivered(PS, t, message(2, author=Author.SELLER, tags=("bug_confirmed",),
                                 at=at("2026-11-23T11:00:00+01:00")))
    t = clocks.prepare(PS, close_ticket(PS, t, at("2026-11-23T12:00:00+01:00"), "thread_closed").ticket)
    assert "bugfix_deadline" in {x.kind for x in t.timers}  # still owed after the close
    t = delivered(PS, t, message(3, author=Author.SELLER, tags=("fix_released",),
                                 at=at("2026-12-01T10:00:00+01:00")))
    assert clock(t, "bugfix").state is ClockState.MET and t.timers == ()
