"""`mode: shadow`: a rule is watched before it is enforced. Its decision is recorded with
`shadow: true`; it never decides, takes no action and leaves the ticket as it was."""
from __future__ import annotations

from dataclasses import replace

import pytest

from chalicelib.domain.decisions import Decision
from chalicelib.domain.errors import ProfileError
from chalicelib.domain.events import MessageCreated
from chalicelib.policy.facts import MessageFacts
from chalicelib.policy.messages import decide_message
from chalicelib.policy.profile import BUILT_IN, parse_profile
from chalicelib.services.views import ticket_detail

from ..policy_builders import facts, message

SHADOW_RULE = """
  - id: CMS-30
    type: question_count
    mode: shadow
    params: {min: 1, max: 1}
"""


def cmsmart(extra: str = ""):
    return parse_profile((BUILT_IN / "cmsmart.yaml").read_text() + extra, "cmsmart.yaml")


def opening(profile, questions: int):
    event = MessageCreated(thread_id="th-1", seller_id="acme", product_id="p1", customer_id="c1",
                           message=message())
    return decide_message(MessageFacts(marketplace="cmsmart", event=event, profile=profile,
                                       text=facts(questions=questions)), message().sent_at)


def test_rules_are_enforced_unless_the_profile_says_shadow():
    assert {r.mode for r in cmsmart().rules} == {"enforce"}
    assert cmsmart(SHADOW_RULE).rules[-1].shadow


@pytest.mark.parametrize("rule, expected", [
    (SHADOW_RULE.replace("mode: shadow", "mode: watch"), "rules[12].mode: Input should be"),
    ("\n  - id: CMS-31\n    type: max_age\n    mode: shadow\n    params: {days: 1}\n",
     "rules[12].mode: shadow works only on rules the engine runs on messages"),
    ("\n  - id: CMS-31\n    type: one_open_ticket\n    mode: shadow\n",
     "rules[12].mode: shadow works only on rules the engine runs on messages (opening, follow_up, "
     "every_customer_message, closed_ticket); 'one_open_ticket' runs at 'open_slot'"),
], ids=["unknown-mode", "timer-rule", "slot-rule"])
def test_a_bad_mode_names_the_file_line_and_key(rule, expected):
    with pytest.raises(ProfileError) as raised:
        cmsmart(rule)
    text = (BUILT_IN / "cmsmart.yaml").read_text() + rule
    line = next(n for n, got in enumerate(text.splitlines(), 1) if "mode:" in got)
    assert f"cmsmart.yaml:{line}: {expected}" in str(raised.value)


def test_a_shadow_decision_is_recorded_and_nothing_else_changes():
    watched, plain = opening(cmsmart(SHADOW_RULE), questions=2), opening(cmsmart(), questions=2)
    shadow = [d for d in watched.decisions if d.rule == "CMS-30"]
    assert [(d.outcome, d.code, d.shadow) for d in shadow] == [("reject", "too_many_questions", True)]
    assert watched.deciding is None and watched.actions == () == plain.actions
    assert watched.slots == plain.slots
    assert replace(watched.ticket, decisions=()) == replace(plain.ticket, decisions=())
    assert watched.ticket.is_open and watched.ticket.timers == plain.ticket.timers


def test_an_enforced_rule_still_decides_next_to_a_shadow_one():
    effects = opening(cmsmart(SHADOW_RULE), questions=5)
    assert effects.deciding.rule == "CMS-3" and not effects.deciding.shadow
    assert effects.ticket.status.value == "rejected"
    assert {d.rule for d in effects.decisions if d.shadow} == {"CMS-30"}


def test_shadow_survives_storage_and_the_status_api_shows_it_apart():
    decision = Decision("CMS-30", "reject", "2 questions", "cmsmart@1", {"questions": 2},
                        "too_many_questions", shadow=True)
    assert decision.to_dict()["shadow"] is True
    assert Decision.from_dict(decision.to_dict()) == decision
    assert "shadow" not in replace(decision, shadow=False).to_dict()
    detail = ticket_detail(opening(cmsmart(SHADOW_RULE), questions=5).ticket)
    assert [d["rule"] for d in detail["shadow_decisions"]] == ["CMS-30"]
    assert all("shadow" not in d for d in detail["decisions"]) and detail["decisions"]


def test_lint_knows_the_mode_key(tmp_path, capsys):
    from chalicelib import cli
    good, bad = tmp_path / "watch.yaml", tmp_path / "bad.yaml"
    good.write_text((BUILT_IN / "cmsmart.yaml").read_text() + SHADOW_RULE)
    bad.write_text((BUILT_IN / "cmsmart.yaml").read_text() + SHADOW_RULE.replace("shadow", "watch"))
    assert cli.main(["lint", str(good)]) == 0
    assert "13 rules (1 in shadow mode, shadow: CMS-30)" in capsys.readouterr().out
    with pytest.raises(SystemExit) as failed:
        cli.main(["lint", str(good), str(bad)])
    assert f"error: {bad}:" in str(failed.value) and "rules[12].mode: Input should be 'enforce' or 'shadow'" in str(failed.value)
