"""End to end on the local stack: a shadow rule records `shadow: true` decisions and changes
nothing else; `python -m chalicelib.cli whatif` re-judges the stored tickets through the
embedded AWS and writes nothing. The stack has its own tenants file and profile directory."""
from __future__ import annotations

import json
import subprocess
import sys
import uuid
from datetime import datetime, timezone

import pytest
import requests
import yaml

from chalicelib.policy.profile import BUILT_IN
from tests.builders import message_event

from .conftest import ROOT, Stack
from .helpers import TENANTS, send

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]
KEY = "tw_local_watcher_0b9d4c2e6f1a3b57"
SHADOW = "\n  - id: CMS-30\n    type: question_count\n    mode: shadow\n    params: {min: 1, max: 1}\n"
TWO = "The checkout page stays blank since I enabled the module. Why does it happen? How can I fix it?"
ONE = "The checkout page stays blank since I enabled the module. How can I fix it?"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """(url, env for the CLI, profile dir): seller `watcher` lives under cmsmart-watch."""
    root = tmp_path_factory.mktemp("whatif-stack") / "profiles"  # every YAML here is a profile
    root.mkdir()
    profile = (BUILT_IN / "cmsmart.yaml").read_text().replace("name: cmsmart", "name: cmsmart-watch")
    (root / "cmsmart-watch.yaml").write_text(profile + SHADOW)
    tenants = {**TENANTS, "sellers": {**TENANTS["sellers"],
                                      "watcher": {"api_keys": [KEY], "policy": "cmsmart-watch"}}}
    tenants_path = root.parent / "tenants.yaml"
    tenants_path.write_text(yaml.safe_dump(tenants))
    with Stack(root.parent / "state", tenants=tenants_path, start_seconds=150,
               env={"TICKETWARDEN_PROFILE_DIRS": str(root)}) as stack:
        yield stack.url, stack.aws_env, root


@pytest.fixture(scope="module")
def tickets(stack):
    """Three tickets of `watcher` (2, 1 and 2 questions) and their twins under plain cmsmart."""
    url, _, _ = stack
    run, now = uuid.uuid4().hex[:6], datetime.now(timezone.utc)  # timers due in days, not fired
    made = {}
    for n, body in enumerate((TWO, ONE, TWO)):
        for seller in ("watcher", "acme-modules"):
            event = message_event(thread_id=f"w-{run}-{seller}-{n}", seller_id=seller,
                                  customer_id=f"c-{run}-{seller}-{n}", body=body, at=now)
            answer = send(url, "cmsmart", event)
            assert answer.status_code == 200, answer.text
            made[(seller, n)] = answer.json()
    return made


def read(url: str, path: str, key: str) -> dict:
    answer = requests.get(f"{url}{path}", headers={"Authorization": f"Bearer {key}"}, timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.json()


def cli(stack, *args: str) -> subprocess.CompletedProcess:
    url, env, _ = stack
    now = requests.get(f"{url}/_local/clock", timeout=10).json()["now"]
    return subprocess.run([sys.executable, "-m", "chalicelib.cli", "whatif", *args, "--as-of", now],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_a_shadow_rule_records_its_decision_and_changes_nothing_else(stack, tickets):
    url = stack[0]
    acme = TENANTS["sellers"]["acme-modules"]["api_keys"][0]
    watched, plain = tickets[("watcher", 0)], tickets[("acme-modules", 0)]
    assert [(d["rule"], d["outcome"], d["shadow"]) for d in watched["decisions"] if d.get("shadow")] \
        == [("CMS-30", "reject", True)]
    assert (watched["ticket"]["status"], watched["actions"]) == (plain["ticket"]["status"],
                                                                 plain["actions"]) == ("open", [])
    mine = read(url, f"/v1/tickets/{watched['ticket']['id']}", KEY)
    theirs = read(url, f"/v1/tickets/{plain['ticket']['id']}", acme)
    assert [d["rule"] for d in mine["shadow_decisions"]] == ["CMS-30"]
    assert theirs["shadow_decisions"] == []
    assert (mine["status"], mine["decisions"], [t["kind"] for t in mine["timers"]], len(mine["sla"])) == \
           (theirs["status"], theirs["decisions"], [t["kind"] for t in theirs["timers"]], len(theirs["sla"]))


def test_whatif_lists_the_tickets_a_stricter_cms3_would_reject_and_writes_nothing(stack, tickets):
    url, _, root = stack
    candidate = root.parent / "candidate.yaml"
    candidate.write_text((root / "cmsmart-watch.yaml").read_text().replace(
        "{min: 1, max: 3}", "{min: 1, max: 1}").replace('version: "', 'version: "next-'))
    listed = read(url, "/v1/tickets?limit=100", KEY)
    before = [read(url, f"/v1/tickets/{t['id']}", KEY) for t in listed["items"]]
    done = cli(stack, "--profile", str(candidate), "--seller", "watcher", "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    expected = {tickets[("watcher", n)]["ticket"]["id"] for n in (0, 2)}
    assert {t["ticket_id"] for t in report["changed"]} == expected
    assert report["by_rule"] == {"CMS-3": {"appears": 2}}
    assert report["replay_check"]["unexplained"] == []
    assert [read(url, f"/v1/tickets/{t['id']}", KEY) for t in listed["items"]] == before


def test_whatif_shadow_summarises_what_the_shadow_rule_would_have_done(stack, tickets):
    done = cli(stack, "--shadow", "--seller", "watcher")
    assert done.returncode == 0, done.stderr
    assert "CMS-30 (shadow) would have rejected 2 tickets" in done.stdout


def test_an_invalid_candidate_profile_names_its_file_line_and_key(stack, tickets):
    bad = stack[2].parent / "bad.yaml"
    text = (BUILT_IN / "cmsmart.yaml").read_text()
    line = text[: text.index("{min: 1, max: 3}")].count("\n") + 1
    bad.write_text(text.replace("{min: 1, max: 3}", "{min: 1, max: 0}"))
    done = cli(stack, "--profile", str(bad), "--seller", "watcher")
    assert done.returncode != 0 and done.stdout == ""
    assert f"{bad}:{line}: rules[2].params.max: Input should be greater than or equal to 1" in done.stderr
