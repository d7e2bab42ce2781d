"""CMSmart rules (seed 000), each through the built-in profile, named after its rule id."""
from __future__ import annotations

from dataclasses import replace

from chalicelib.domain.model import Author, TicketStatus
from chalicelib.policy.profile import built_in_profiles
from chalicelib.policy.rules.open_tickets import SlotHolder, concurrent_issue, opened_key, second_issue
from chalicelib.text.facts import LexiconHit
from tests.builders import T0
from tests.policy_builders import context, decisions, facts, message, minutes, rules_fired, ticket


def test_a_clean_english_issue_with_one_question_passes_every_rule():
    assert rules_fired(context()) == {}


def test_cms_1_an_unassigned_issue_is_rejected():
    assert rules_fired(context(msg=message(assignee=None))) == {"CMS-1": "unassigned"}


def test_cms_2_a_french_issue_is_rejected_and_names_the_language():
    fired = decisions(context(text=facts(language="fr", probability=0.99)))
    assert [(d.rule, d.outcome, d.evidence["detected"]) for d in fired] == [("CMS-2", "reject", "fr")]


def test_cms_2_an_undetermined_language_is_flagged_never_rejected():
    fired = decisions(context(text=facts(language=None, probability=0.0, cleaned=12)))
    assert [(d.rule, d.outcome, d.code) for d in fired] == [("CMS-2", "flag", "language_undetermined")]


def test_cms_2_a_low_confidence_guess_is_not_a_rejection():
    assert rules_fired(context(text=facts(language="nl", probability=0.55))) == {}


def test_cms_3_no_question_is_rejected():
    assert rules_fired(context(text=facts(questions=0))) == {"CMS-3": "too_few_questions"}


def test_cms_3_four_questions_are_rejected_and_three_pass():
    assert rules_fired(context(text=facts(questions=4))) == {"CMS-3": "too_many_questions"}
    assert rules_fired(context(text=facts(questions=3))) == {}


def test_cms_4_a_newer_concurrent_issue_is_closed_and_linked_to_the_oldest():
    holder = SlotHolder("tkt_old", f"{T0.isoformat()}#m0")
    newer = message(at=T0 + minutes(1))
    ctx = context(msg=newer, tkt=ticket(newer, id="tkt_new"))
    rule = built_in_profiles()["cmsmart"].rule_of_type("one_open_ticket")
    decision = concurrent_issue(ctx, rule.id, rule.params, holder)
    assert (decision.rule, decision.outcome, decision.code) == ("CMS-4", "close", "concurrent_issue")
    assert decision.evidence == {"closed_ticket": "tkt_new", "kept_ticket": "tkt_old"}


def test_cms_4_an_older_issue_delivered_late_closes_the_holder_instead():
    holder = SlotHolder("tkt_new", f"{(T0 + minutes(5)).isoformat()}#m9")
    older = message(at=T0)
    ctx = context(msg=older, tkt=ticket(older, id="tkt_old"))
    rule = built_in_profiles()["cmsmart"].rule_of_type("one_open_ticket")
    assert concurrent_issue(ctx, rule.id, rule.params, holder).evidence["closed_ticket"] == "tkt_new"


def test_cms_4_equal_send_times_are_ordered_by_message_id():
    first, second = message(1, at=T0), message(2, at=T0)
    assert opened_key(ticket(first)) < opened_key(ticket(second))


def test_cms_8_a_second_issue_long_after_the_first_is_rejected():
    holder = SlotHolder("tkt_old", f"{T0.isoformat()}#m0")
    later = message(at=T0 + minutes(90))
    ctx = context(msg=later, tkt=ticket(later, id="tkt_new"))
    profile = built_in_profiles()["cmsmart"]
    cms4, cms8 = profile.rule_of_type("one_open_ticket"), profile.rule_of_type("second_issue")
    assert concurrent_issue(ctx, cms4.id, cms4.params, holder) is None
    decision = second_issue(ctx, cms8.id, cms8.params, holder)
    assert (decision.rule, decision.outcome, decision.code) == ("CMS-8", "reject", "concurrent_issue")


def test_cms_6_a_customer_message_on_a_closed_ticket_is_refused():
    closed = ticket(message(), status=TicketStatus.CLOSED)
    ctx = context(msg=message(2, at=T0 + minutes(5)), tkt=closed, opening=False)
    assert rules_fired(ctx) == {"CMS-6": "closed_no_reopen"}


def test_cms_7_basic_platform_questions_are_redirected():
    fired = decisions(context(text=facts(lexicons=["basic_platform_knowledge"])))
    assert [(d.rule, d.outcome) for d in fired] == [("CMS-7", "redirect")]


def test_cms_9_five_customer_messages_in_a_row_are_flooding():
    msgs = tuple(message(n, at=T0 + minutes(n)) for n in range(5))
    ctx = context(msg=msgs[-1], tkt=ticket(*msgs), opening=False)
    assert rules_fired(ctx) == {"CMS-9": "flooding"}


def test_cms_9_a_seller_reply_resets_the_run():
    msgs = (message(0), message(1, at=T0 + minutes(1)), message(2, at=T0 + minutes(2)),
            message(3, author=Author.SELLER, at=T0 + minutes(3)),
            message(4, at=T0 + minutes(4)), message(5, at=T0 + minutes(5)))
    assert rules_fired(context(msg=msgs[-1], tkt=ticket(*msgs), opening=False)) == {}


def test_cms_9_an_automated_seller_reply_does_not_reset_the_run():
    msgs = tuple(message(n, at=T0 + minutes(n)) for n in range(3)) + (
        message(3, author=Author.SELLER, automated=True, at=T0 + minutes(3)),
        message(4, at=T0 + minutes(4)), message(5, at=T0 + minutes(5)))
    assert rules_fired(context(msg=msgs[-1], tkt=ticket(*msgs), opening=False)) == {"CMS-9": "flooding"}


def test_cms_10_customization_is_chargeable_unless_tagged_paid():
    ctx = context(text=facts(lexicons=["customization"]))
    assert rules_fired(ctx) == {"CMS-10": "customization"}
    paid = context(text=facts(lexicons=["customization"]), msg=message(tags=("paid",)))
    assert rules_fired(paid) == {}


def test_cms_11_a_threat_is_rejected_and_flagged_on_any_message():
    follow_up = context(text=facts(lexicons=["threat"]), opening=False,
                        msg=message(2, at=T0 + minutes(1)), tkt=ticket(message(), message(2, at=T0 + minutes(1))))
    fired = decisions(follow_up)
    assert [(d.rule, d.outcome, d.code, d.evidence["flagged"]) for d in fired] == [
        ("CMS-11", "reject", "threatening", True)]


def test_cms_12_third_party_conflicts_are_chargeable():
    assert rules_fired(context(text=facts(lexicons=["third_party_conflict"]))) == {"CMS-12": "third_party_conflict"}


def test_every_decision_names_the_profile_and_its_version():
    fired = decisions(context(msg=message(assignee=None), text=facts(questions=0)))
    assert {d.policy for d in fired} == {f"cmsmart@{built_in_profiles()['cmsmart'].version}"}


def test_several_rules_are_ordered_most_severe_first():
    fired = decisions(context(msg=message(assignee=None),
                              text=facts(questions=5, lexicons=["customization"])))
    assert [d.rule for d in fired] == ["CMS-1", "CMS-3", "CMS-10"]


def test_cms_1_a_blank_looking_assignee_is_missing():
    for blank in (" ", "\u200b", "\u00a0\u2060"):
        assert rules_fired(context(msg=message(assignee=blank))) == {"CMS-1": "unassigned"}


def test_cms_2_a_follow_up_in_french_is_rejected_too():
    fired = decisions(context(text=facts(language="fr", probability=0.99), opening=False))
    assert [(d.rule, d.outcome, d.evidence["detected"]) for d in fired] == [("CMS-2", "reject", "fr")]


def test_cms_2_a_short_follow_up_that_cannot_be_judged_is_left_alone():
    fired = decisions(context(text=facts(language=None, probability=0.0, cleaned=7), opening=False))
    assert [d.rule for d in fired] == []


def test_cms_2_an_english_message_with_a_french_part_is_rejected_and_names_it():
    text = replace(facts(), language_segments=(("en", 0.99, 900), ("fr", 0.99, 150)))
    fired = decisions(context(text=text))
    assert [(d.rule, d.code, d.evidence["part"]) for d in fired] == [("CMS-2", "language", "fr")]


def test_cms_10_low_confidence_flags_for_the_seller_and_refuses_nothing():
    unsure = LexiconHit("customization", (), probability=0.4, unsure=("add an option",))
    text = replace(facts(), lexicons={"customization": unsure})
    fired = decisions(context(text=text))
    assert [(d.rule, d.outcome, d.evidence["matched"]) for d in fired] == [
        ("CMS-10", "flag", ["add an option"])]
