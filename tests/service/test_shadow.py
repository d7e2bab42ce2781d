"""A shadow rule through the whole service: the webhook answer and the status API show its
decision with `shadow: true`, and status, actions and timers are those without it; then
`whatif --shadow` counts what it would have done."""
from __future__ import annotations

from pathlib import Path

import pytest

from chalicelib.api.direct import deliver
from chalicelib.domain.model import Seller
from chalicelib.policy.profile import BUILT_IN
from chalicelib.services.whatif import WhatIf
from chalicelib.settings import Settings
from chalicelib.text.analysis import analyse
from tests import fakes
from tests.builders import T0, message_event

SHADOW = "\n  - id: CMS-30\n    type: question_count\n    mode: shadow\n    params: {min: 1, max: 1}\n"
TWO_QUESTIONS = ("The checkout page stays blank since I enabled the module. Why does it happen? "
                 "How can I fix it?")


def services(tmp_path: Path, shadow: bool):
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "cmsmart-watch.yaml").write_text(
        (BUILT_IN / "cmsmart.yaml").read_text().replace("name: cmsmart", "name: cmsmart-watch")
        + (SHADOW if shadow else ""))
    tenants = fakes.tenants()
    tenants.add_seller(Seller("acme", policy="cmsmart-watch"))
    return fakes.build(tenants=tenants, settings=Settings(profile_dirs=(tmp_path,)))


def lived(tmp_path: Path, shadow: bool):
    app = services(tmp_path, shadow)
    answers = [deliver(app, message_event(thread_id=f"t-{n}", customer_id=f"c-{n}", body=body,
                                          at=T0), "cmsmart").response
               for n, body in enumerate((TWO_QUESTIONS, TWO_QUESTIONS, "How can I fix the blank checkout page?"))]
    return app, answers


@pytest.fixture
def watched(tmp_path):
    return lived(tmp_path / "a", shadow=True)


@pytest.fixture
def plain(tmp_path):
    return lived(tmp_path / "b", shadow=False)


def test_the_answer_records_the_shadow_decision_and_acts_as_without_it(watched, plain):
    (_, with_rule), (_, without) = watched, plain
    first = with_rule[0]
    shadow = [d for d in first["decisions"] if d.get("shadow")]
    assert [(d["rule"], d["outcome"], d["deciding"]) for d in shadow] == [("CMS-30", "reject", False)]
    for a, b in zip(with_rule, without):
        assert (a["ticket"]["status"], a["actions"], a["decided_by"]) == \
               (b["ticket"]["status"], b["actions"], b["decided_by"]) == ("open", [], None)


def test_the_ticket_detail_lists_shadow_decisions_apart_and_timers_are_unchanged(watched, plain):
    seller = Seller("acme")
    (app, answers), (other, theirs) = watched, plain
    detail = app.status.ticket(seller, answers[0]["ticket"]["id"])
    same = other.status.ticket(seller, theirs[0]["ticket"]["id"])
    assert [d["rule"] for d in detail["shadow_decisions"]] == ["CMS-30"]
    assert all(not d.get("shadow") for d in detail["decisions"])
    assert (detail["status"], detail["timers"], detail["sla"], detail["decisions"]) == \
           (same["status"], same["timers"], same["sla"], same["decisions"])
    assert app.scheduler.pending() == other.scheduler.pending()


def test_whatif_shadow_counts_what_the_rule_would_have_done(watched):
    app, _ = watched
    report = WhatIf(app.store, app.profiles, analyse, as_of=app.clock.now).shadow("acme")
    assert report.tickets == 3
    assert dict(report.rules) == {"CMS-30": {"reject": 2}}
    assert len(report.examples["CMS-30"]) == 2
