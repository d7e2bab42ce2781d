"""The HTTP API front of the packaged template: one route per Chalice route, and a guard.

Chalice generates REST APIs only (aws/chalice#1321). deploy/merge-template.yaml declares the
HTTP API itself (API, payload-format-1.0 integration, stage, invoke permission); this module
adds what depends on the app, one `AWS::ApiGatewayV2::Route` per (method, path) of
`app.app.routes`, and checks that each front's resources exist only under its condition.

Why no `$default` or `ANY /{proxy+}` route: with payload 1.0 the event's `resource` and
`requestContext.resourcePath` are the matched route's path, and Chalice dispatches on
resourcePath; `/{proxy+}` is no route of the app, so Chalice would answer every request 405
(tests/app/test_http_api_events.py shows it).

Used by scripts/package.sh:
  python scripts/http_api.py routes <merge-template.json> <stage>   adds the routes in place
  python scripts/http_api.py finish <sam.json>   EndpointURL of either front, then the guard
"""
from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
API, INTEGRATION, STAGE = "HttpApi", "HttpApiIntegration", "HttpApiStage"
HTTP, REST = "UseHttpApi", "UseRestApi"
REST_IDS = {"RestAPI"}  # what chalice generates for the REST front (SAM expands it)


def app_routes(stage: str) -> list[tuple[str, str]]:
    """(METHOD, path) of every Chalice route, the app imported as the stage's Lambda would."""
    config = json.loads((ROOT / ".chalice" / "config.json").read_text(encoding="utf-8"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("TICKETWARDEN_")}
    env.update(config.get("environment_variables", {}))
    env.update(config["stages"][stage].get("environment_variables", {}))
    env["TICKETWARDEN_WARM_UP"] = "false"  # routes only: no language profiles
    os.environ.clear()
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import app  # noqa: PLC0415 - after the environment is the stage's
    if app.settings.local_mode:
        sys.exit(f"http_api.py: stage {stage} is local mode; its routes are not deployable")
    return sorted((method, path) for path, methods in app.app.routes.items()
                  for method in methods)


def logical_id(method: str, path: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", path) or ["Root"]
    return "HttpRoute" + method.title() + "".join(w[:1].upper() + w[1:] for w in words)


def route_resources(routes: list[tuple[str, str]]) -> dict[str, dict]:
    resources: dict[str, dict] = {}
    for method, path in routes:
        name = logical_id(method, path)
        if name in resources:
            sys.exit(f"http_api.py: two routes map to the logical id {name}: rename one")
        resources[name] = {
            "Type": "AWS::ApiGatewayV2::Route",
            "Condition": HTTP,
            "Properties": {"ApiId": {"Ref": API}, "RouteKey": f"{method} {path}",
                           "Target": {"Fn::Sub": f"integrations/${{{INTEGRATION}}}"}}}
    return resources


def add_routes(merge: dict, routes: list[tuple[str, str]]) -> None:
    generated = route_resources(routes)
    clash = set(generated) & set(merge["Resources"])
    if clash:
        sys.exit(f"http_api.py: the merge template already defines {sorted(clash)}")
    merge["Resources"].update(generated)
    # The stage auto-deploys; created after the routes, its first deployment has them all.
    merge["Resources"][STAGE]["DependsOn"] = sorted(generated)


def endpoint_output(template: dict) -> None:
    """Chalice's EndpointURL output names the REST API: make it name whichever front is on."""
    output = template["Outputs"]["EndpointURL"]
    rest = output["Value"]
    if set(rest) != {"Fn::Sub"} or "${RestAPI}" not in rest["Fn::Sub"]:
        sys.exit(f"http_api.py: chalice's EndpointURL output changed shape: {rest}")
    http = {"Fn::Sub": rest["Fn::Sub"].replace("${RestAPI}", f"${{{API}}}")}
    output["Value"] = {"Fn::If": [HTTP, http, rest]}


def references(node, implied: frozenset = frozenset()):
    """(logical id, conditions known true there) for every Ref / GetAtt / Sub in node."""
    if isinstance(node, list):
        for item in node:
            yield from references(item, implied)
    elif isinstance(node, dict):
        if set(node) == {"Fn::If"}:
            condition, then, otherwise = node["Fn::If"]
            negation = {HTTP: REST, REST: HTTP}.get(condition, f"!{condition}")
            yield from references(then, implied | {condition})
            yield from references(otherwise, implied | {negation})
            return
        for key, value in node.items():
            if key == "Ref" and isinstance(value, str):
                yield value, implied
            elif key == "Fn::GetAtt":
                target = value[0] if isinstance(value, list) else value.split(".")[0]
                yield target, implied
            elif key == "Fn::Sub":
                text, variables = (value, {}) if isinstance(value, str) else value
                for name in re.findall(r"\$\{([^!}][^}]*)\}", text):
                    if name.split(".")[0] not in variables:
                        yield name.split(".")[0], implied
                yield from references(variables, implied)
            else:
                yield from references(value, implied)


def front_problems(template: dict) -> list[str]:
    """Every resource or output that uses one front's resources must depend on its condition."""
    resources = template["Resources"]
    front = {name: r["Condition"] for name, r in resources.items()
             if r.get("Condition") in (HTTP, REST)}
    problems = [f"{name} has no Condition {REST}" for name in REST_IDS
                if front.get(name) != REST]
    problems += [f"{name} has no Condition {HTTP}" for name, r in resources.items()
                 if r["Type"].startswith("AWS::ApiGatewayV2::") and front.get(name) != HTTP]
    for section in ("Resources", "Outputs"):
        for name, item in template.get(section, {}).items():
            own = item.get("Condition")
            for target, implied in references({k: v for k, v in item.items() if k != "Condition"}):
                needed = front.get(target)
                if needed and needed != own and needed not in implied:
                    problems.append(f"{section} {name} uses {target} outside Condition {needed}")
    return sorted(set(problems))


def main(argv: list[str]) -> None:
    command, path = argv[0], Path(argv[1])
    template = json.loads(path.read_text(encoding="utf-8"))
    if command == "routes":
        routes = app_routes(argv[2])
        add_routes(template, routes)
        path.write_text(json.dumps(template, indent=2), encoding="utf-8")
        print(f"http_api.py: {len(routes)} HTTP API routes, one per Chalice route")
    elif command == "finish":
        endpoint_output(template)
        path.write_text(json.dumps(template, indent=2), encoding="utf-8")
        problems = front_problems(template)
        if problems:
            sys.exit("http_api.py: a front's resource leaks out of its condition:\n  "
                     + "\n  ".join(problems))
    else:
        sys.exit(f"http_api.py: unknown command {command}")


if __name__ == "__main__":
    main(sys.argv[1:])
