"""docs/contract.md and docs/rules.md stay true: compared with /openapi.json and the profiles."""
from __future__ import annotations

import re
from pathlib import Path

from chalicelib.domain.notices import NoticeType
from chalicelib.policy.profile import built_in_profiles

DOCS = Path(__file__).resolve().parents[1] / "docs"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
ROUTE_ROW = re.compile(r"^\| (?P<method>[A-Z]+) \| `(?P<path>/[^`]*)` \| (?P<status>\w+) \|")
EVENT_ROW = re.compile(r"^\| `(?P<type>[a-z_]+\.[a-z_]+)` \| (?P<direction>webhook|notice) \|")


def _shape(path: str) -> str:
    """Parameter names do not matter: /v1/tickets/{ticket_id} == /v1/tickets/{id}."""
    return re.sub(r"\{[^}]*\}", "{}", path)


def documented_routes() -> dict[tuple[str, str], str]:
    rows = {}
    for line in (DOCS / "contract.md").read_text(encoding="utf-8").splitlines():
        if (match := ROUTE_ROW.match(line)) and match["method"] in METHODS:
            rows[(match["method"], _shape(match["path"]))] = match["status"]
    return rows


def documented_events(direction: str) -> set[str]:
    text = (DOCS / "contract.md").read_text(encoding="utf-8")
    return {m["type"] for line in text.splitlines()
            if (m := EVENT_ROW.match(line)) and m["direction"] == direction}


def served_routes(client) -> set[tuple[str, str]]:
    document = client.http.get("/openapi.json").json_body
    return {(method.upper(), _shape(path)) for path, item in document["paths"].items()
            for method in item if method.upper() in METHODS}


def test_the_route_table_is_read_as_intended():
    routes = documented_routes()
    assert routes[("POST", "/webhooks/{}")] == "served"
    assert routes[("POST", "/_local/clock")] == "local"
    assert set(routes.values()) <= {"served", "planned", "local"}


def test_every_route_of_the_openapi_document_is_in_the_contract(client):
    missing = served_routes(client) - set(documented_routes())
    assert not missing, f"add these routes to a route table of docs/contract.md: {sorted(missing)}"


def test_every_route_the_contract_calls_served_is_in_the_openapi_document(client):
    claimed = {route for route, status in documented_routes().items() if status == "served"}
    assert not claimed - served_routes(client), "docs/contract.md marks these served, " \
        f"but /openapi.json does not list them: {sorted(claimed - served_routes(client))}"


def test_the_webhook_event_types_are_those_of_the_openapi_document(client):
    schemas = client.http.get("/openapi.json").json_body["components"]["schemas"]
    served = set(schemas["WebhookEvent"]["discriminator"]["mapping"])
    assert documented_events("webhook") == served


def test_the_notice_types_are_those_of_the_domain():
    assert documented_events("notice") == {kind.value for kind in NoticeType}


def test_every_rule_id_and_type_of_the_profiles_is_in_the_rule_catalogue():
    catalogue = (DOCS / "rules.md").read_text(encoding="utf-8")
    rows = {m[1]: m[2] for m in re.finditer(r"^\| ([A-Z]+-\d+[a-z]?) \| ([^|]+) \|", catalogue,
                                             flags=re.MULTILINE)}
    missing, wrong_type = [], []
    for profile in built_in_profiles().values():
        for rule in profile.rules:
            if rule.id not in rows:
                missing.append(f"{profile.name}: {rule.id}")
            elif f"`{rule.type}`" not in rows[rule.id]:
                wrong_type.append(f"{rule.id} is `{rule.type}`, docs say {rows[rule.id].strip()}")
    assert missing == [] and wrong_type == []


def test_the_rule_catalogue_cites_each_public_policy_by_title():
    catalogue = (DOCS / "rules.md").read_text(encoding="utf-8")
    for title in ("Support Policies on CMSmart Marketplace", "Business Care FAQ", "Support Policy"):
        assert f"*{title}*" in catalogue
