"""`make package`: chalice's SAM template + deploy/merge-template.yaml, linted, least-privilege.

Runs scripts/package.sh once for the module (~3 s with chalice's zip cache, ~10 s cold: it
pip-downloads requirements.txt for the Lambda platform, so it needs PyPI).
"""
from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import botocore.session
import pytest
from botocore import xform_name

from chalicelib.adapters.dynamo import keys, schema
from tests.builders import encode, message_event, signed_headers

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.xdist_group("package")

FUNCTIONS = {"APIHandler": "api", "Timer": "timer", "Notifier": "notifier",
             "Reconciler": "reconciler"}
ROLES = {"APIHandler": "ApiHandlerRole", "Timer": "TimerRole", "Notifier": "NotifierRole",
         "Reconciler": "ReconcilerRole"}
CHALICE_IDS = {"APIHandler", "APIHandlerInvokePermission", "Timer", "Notifier", "Reconciler",
               "RestAPI", *ROLES.values()}
# The notifier's own: Lambda reads the stream with its role (the code never calls these) and
# sends failed batches' pointers to the dead-letter queue.
NOTIFIER_ACTIONS = {
    "TableStream": {"dynamodb:DescribeStream", "dynamodb:GetRecords",
                    "dynamodb:GetShardIterator", "dynamodb:ListStreams"},
    "NotifierFailures": {"sqs:SendMessage"},
}
MAX_ZIP_BYTES = 15 * 2**20

# Every permission the functions hold. Adding one means adding it here, in .chalice/policy.json
# and in deploy/merge-template.yaml (same Sid): the tests below fail until all three agree.
EXPECTED_ACTIONS = {
    "TableItems": {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
                   "dynamodb:DeleteItem"},
    "TableQueries": {"dynamodb:Query", "dynamodb:PartiQLSelect"},
    "Schedules": {"scheduler:CreateSchedule", "scheduler:UpdateSchedule",
                  "scheduler:DeleteSchedule", "scheduler:GetSchedule"},
    "ScheduleListing": {"scheduler:ListSchedules"},
    "PassSchedulerRole": {"iam:PassRole"},
    "VaultKey": {"kms:Encrypt", "kms:Decrypt"},
    "MarketplaceSecrets": {"ssm:GetParametersByPath"},
    "Logs": {"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"},
}
# boto3 calls in the adapters that no function makes, so no role may make them either.
NOT_ON_LAMBDA = {
    "create_table": "local mode (`make run` on moto): schema.create_table",
    "list_tables": "local mode: schema.create_table",
    "update_time_to_live": "local mode: schema.create_table",
    "describe_table": "local mode: schema.create_table (indexes and stream a kept table lacks)",
    "update_table": "local mode: schema.create_table adds them to a table of an older version",
    "create_schedule_group": "local mode: scheduler.ensure_group",
    "get_schedule_group": "local mode: scheduler.ensure_group",
    "scan": "store.count_vault_items and backfill_order_summaries: operators and tests, never a request path",
    "describe_key": "local mode: kms_vault.ensure_key",
    "create_key": "local mode: kms_vault.ensure_key",
    "create_alias": "local mode: kms_vault.ensure_key",
    "put_parameter": "local mode seeding (ssm_secrets.add); operators rotate with the CLI",
    "delete_parameter": "local mode seeding (ssm_secrets.retire); operators rotate with the CLI",
}
ENVIRONMENT = {
    "TICKETWARDEN_TABLE": {"Ref": "Table"},
    "TICKETWARDEN_SCHEDULE_GROUP": {"Ref": "ScheduleGroup"},
    "TICKETWARDEN_SCHEDULER_ROLE_ARN": {"Fn::GetAtt": ["SchedulerRole", "Arn"]},
    "TICKETWARDEN_TIMER_FUNCTION_ARN": {
        "Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}"
                   ":function:ticketwarden-${Stage}-timer"},
    "TICKETWARDEN_VAULT_KEY_ID": {"Ref": "VaultKey"},
    "TICKETWARDEN_SECRETS_PATH": {"Fn::Sub": "/ticketwarden/${Stage}/marketplaces"},
    "TICKETWARDEN_STAGE": {"Ref": "Stage"},
}


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    out = tmp_path_factory.mktemp("package")
    started = time.monotonic()
    run = subprocess.run(["bash", str(ROOT / "scripts" / "package.sh"), "dev", str(out)], cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    print(f"\nscripts/package.sh took {time.monotonic() - started:.1f} s\n{run.stdout}")
    assert run.returncode == 0, f"package.sh failed:\n{run.stdout}\n{run.stderr}"
    return out


@pytest.fixture(scope="module")
def template(package) -> dict:
    return json.loads((package / "sam.json").read_text())


@pytest.fixture(scope="module")
def resources(template) -> dict:
    return template["Resources"]


def policy_file() -> dict:
    return json.loads((ROOT / ".chalice" / "policy.json").read_text())


def statements(document: dict) -> dict[str, dict]:
    return {s["Sid"]: s for s in document["Statement"]}


def actions(statement: dict) -> set[str]:
    action = statement["Action"]
    return {action} if isinstance(action, str) else set(action)


# ------------------------------------------------------------------ lint and structure

def test_the_template_lints_clean(package):
    cfn_lint = ROOT / ".venv" / "bin" / "cfn-lint"
    run = subprocess.run([str(cfn_lint), "--", str(package / "sam.json")],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_prod_package_lints_clean_too(package, tmp_path):
    """The Stage pin changes what cfn-lint can prove (e.g. an unreachable Fn::If branch)."""
    run = subprocess.run(["bash", str(ROOT / "scripts" / "package.sh"), "prod", str(tmp_path)],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, f"{run.stdout}\n{run.stderr}"
    prod = json.loads((tmp_path / "sam.json").read_text())
    assert prod["Parameters"]["Stage"]["AllowedValues"] == ["prod"]


def test_every_merged_key_names_a_generated_resource_or_brings_a_type(resources):
    from chalice.package import YAMLTemplateSerializer
    path = ROOT / "deploy" / "merge-template.yaml"
    merge = YAMLTemplateSerializer().load_template(path.read_text(), str(path))
    untyped = {name for name, resource in merge["Resources"].items() if "Type" not in resource}
    assert untyped <= CHALICE_IDS, f"merged into nothing (misspelt id?): {untyped - CHALICE_IDS}"
    assert all("Type" in resource for resource in resources.values())


def test_the_reconciler_schedule_comes_from_chalice(resources):
    events = resources["Reconciler"]["Properties"]["Events"]
    assert {e["Type"]: e["Properties"]["Schedule"] for e in events.values()} == {
        "Schedule": "rate(5 minutes)"}


def test_the_stage_is_pinned_to_the_packaged_stage(template):
    assert template["Parameters"]["Stage"]["AllowedValues"] == ["dev"]
    assert template["Parameters"]["Stage"]["Default"] == "dev"


# ------------------------------------------------------------------ resources

def test_the_table_matches_the_adapter_schema(resources):
    table = resources["Table"]
    props = table["Properties"]
    assert table["Type"] == "AWS::DynamoDB::Table" and table["DeletionPolicy"] == "Retain"
    assert props["KeySchema"] == schema.KEY_SCHEMA
    assert sorted(props["AttributeDefinitions"], key=str) == sorted(schema.ATTRIBUTES, key=str)
    assert props["GlobalSecondaryIndexes"] == schema.GSIS
    assert [g["Projection"]["ProjectionType"] for g in props["GlobalSecondaryIndexes"]] == [
        "ALL", "KEYS_ONLY", "ALL"]
    assert props["TimeToLiveSpecification"] == {"AttributeName": keys.TTL_ATTRIBUTE,
                                                "Enabled": True}
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["SSESpecification"] == {"SSEEnabled": True}
    assert props["StreamSpecification"] == schema.STREAM


def test_the_notifier_reads_outbox_items_and_cued_heads_in_order_with_bounded_retries(resources):
    mapping = resources["NotifierStream"]["Properties"]
    assert mapping["EventSourceArn"] == {"Fn::GetAtt": ["Table", "StreamArn"]}
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert mapping["BisectBatchOnFunctionError"] is True
    assert 0 < mapping["MaximumRetryAttempts"] <= 20
    assert mapping["DestinationConfig"]["OnFailure"]["Destination"] == {
        "Fn::GetAtt": ["NotifierDeadLetters", "Arn"]}
    from chalicelib.adapters.dynamo import keys, outbound_keys
    outbox, cued = [json.loads(f["Pattern"]) for f in mapping["FilterCriteria"]["Filters"]]
    assert outbox == {"eventName": ["INSERT"],
                      "dynamodb": {"NewImage": {"type": {"S": [outbound_keys.OUTBOX]}}}}
    assert cued == {"eventName": ["INSERT", "MODIFY"],
                    "dynamodb": {"NewImage": {"GSI2PK": {"S": [keys.UNSYNCED]}}}}
    view = resources["Table"]["Properties"]["StreamSpecification"]["StreamViewType"]
    from chalicelib.adapters.dynamo.schema import STREAM
    assert view == STREAM["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    assert resources["Notifier"]["Properties"]["Handler"] == "chalicelib.api.notifier.notifier"


def test_the_scheduler_role_may_only_invoke_the_timer_function(resources):
    group = resources["ScheduleGroup"]
    assert group["Type"] == "AWS::Scheduler::ScheduleGroup"
    assert group["Properties"]["Name"] == {"Fn::Sub": "ticketwarden-${Stage}"}
    role = resources["SchedulerRole"]["Properties"]
    [trust] = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "scheduler.amazonaws.com"}
    assert trust["Condition"] == {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}
    [policy] = role["Policies"]
    [statement] = policy["PolicyDocument"]["Statement"]
    assert actions(statement) == {"lambda:InvokeFunction"}
    assert statement["Resource"] == ENVIRONMENT["TICKETWARDEN_TIMER_FUNCTION_ARN"]
    timer_name = resources["Timer"]["Properties"]["FunctionName"]["Fn::Sub"]
    assert statement["Resource"]["Fn::Sub"].endswith(f":function:{timer_name}")
    assert resources["Timer"]["Properties"]["Handler"] == "chalicelib.api.timers.timer"


def test_the_vault_key_rotates(resources):
    key = resources["VaultKey"]
    assert key["Type"] == "AWS::KMS::Key" and key["Properties"]["EnableKeyRotation"] is True
    assert resources["VaultKeyAlias"]["Properties"]["TargetKeyId"] == {"Ref": "VaultKey"}


def test_every_function_gets_the_stack_wiring_and_json_logs(resources):
    for logical_id, suffix in FUNCTIONS.items():
        props = resources[logical_id]["Properties"]
        variables = props["Environment"]["Variables"]
        assert {name: variables.get(name) for name in ENVIRONMENT} == ENVIRONMENT, logical_id
        assert props["FunctionName"] == {"Fn::Sub": f"ticketwarden-${{Stage}}-{suffix}"}
        assert props["LoggingConfig"]["LogFormat"] == "JSON", logical_id


def test_only_the_api_function_loads_the_text_models_at_init(resources):
    warm = {logical_id: resources[logical_id]["Properties"]["Environment"]["Variables"]
            .get("TICKETWARDEN_WARM_UP", "true") for logical_id in FUNCTIONS}
    assert warm == {"APIHandler": "true", "Timer": "false", "Notifier": "false",
                    "Reconciler": "false"}


def test_alarms_watch_the_api_the_timer_and_the_reconciler(resources):
    alarms = {k: r["Properties"] for k, r in resources.items()
              if r["Type"] == "AWS::CloudWatch::Alarm"}
    for alarm in alarms.values():
        assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}]
    api_name = resources["RestAPI"]["Properties"]["Name"]
    metrics = {m["Id"]: m for m in alarms["Api5xxRateAlarm"]["Metrics"]}
    errors = metrics["errors"]["MetricStat"]["Metric"]
    # one alarm for either front: an HTTP API reports `5xx` by ApiId, a REST API `5XXError`
    assert errors["MetricName"] == {"Fn::If": ["UseHttpApi", "5xx", "5XXError"]}
    condition, http_dimensions, rest_dimensions = errors["Dimensions"]["Fn::If"]
    assert condition == "UseHttpApi"
    assert {"Name": "ApiId", "Value": {"Ref": "HttpApi"}} in http_dimensions
    assert {"Name": "ApiName", "Value": api_name} in rest_dimensions
    stage = resources["HttpApiStage"]["Properties"]["StageName"]
    assert {"Name": "Stage", "Value": stage} in http_dimensions
    rest_stage = resources["RestAPI"]["Properties"]["StageName"]
    assert {"Name": "Stage", "Value": rest_stage} in rest_dimensions
    assert metrics["requests"]["MetricStat"]["Metric"]["Dimensions"] == errors["Dimensions"]
    assert [m["Id"] for m in metrics.values() if m["ReturnData"]] == ["rate"]
    timer = alarms["TimerErrorsAlarm"]
    assert (timer["Namespace"], timer["MetricName"]) == ("AWS/Lambda", "Errors")
    assert timer["Dimensions"] == [{"Name": "FunctionName",
                                    "Value": resources["Timer"]["Properties"]["FunctionName"]}]
    repairs = resources["ReconcilerRepairsMetric"]["Properties"]
    assert repairs["FilterPattern"] == "{ $.repaired > 0 }"
    assert repairs["LogGroupName"] == {"Ref": "ReconcilerLogGroup"}
    log_group = resources["ReconcilerLogGroup"]["Properties"]["LogGroupName"]["Fn::Sub"]
    reconciler_name = resources["Reconciler"]["Properties"]["FunctionName"]["Fn::Sub"]
    assert log_group == f"/aws/lambda/{reconciler_name}"
    [transformation] = repairs["MetricTransformations"]
    repairs_alarm = alarms["ReconcilerRepairsAlarm"]
    assert (repairs_alarm["Namespace"], repairs_alarm["MetricName"]) == (
        transformation["MetricNamespace"], transformation["MetricName"])
    assert resources["AlarmTopic"]["Type"] == "AWS::SNS::Topic"


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


def test_the_reconciler_logs_the_fields_the_metric_filters_read(client, services):
    """Lambda's JSON log format turns `extra=` keys into top-level fields: `$.repaired`."""
    services.scheduler.fail_next(1)  # the sync after the commit fails: the reconciler repairs it
    body = encode(message_event())
    client.http.post("/webhooks/cmsmart", headers=signed_headers(body), body=body)
    event = client.events.generate_cw_event(source="aws.events", detail_type="Scheduled Event",
                                            detail={}, resources=[])
    logger, capture = logging.getLogger("ticketwarden.timers"), _Capture()
    # here app.py is imported, and Chalice() set the "ticketwarden" logger to ERROR: listen below it
    level = logger.level
    logger.setLevel(logging.INFO)  # setLevel, not .level =: it clears logging's isEnabledFor cache
    logger.addHandler(capture)
    try:
        client.lambda_.invoke("reconciler", event)
    finally:
        logger.removeHandler(capture)
        logger.setLevel(level)
    [record] = [r for r in capture.records if r.getMessage() == "reconciler pass"]
    assert isinstance(record.repaired, int) and record.repaired > 0
    assert isinstance(record.failed, int)


LAMBDA_PROCESS = """
import json, logging, sys
class LambdaJson(logging.Formatter):  # what LogFormat JSON does: extras become top-level keys
    def format(self, record):
        skip = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
        extras = {k: v for k, v in vars(record).items() if k not in skip}
        return json.dumps({"message": record.getMessage(), **extras}, default=str)
handler = logging.StreamHandler(sys.stdout)
handler.setFormatter(LambdaJson())
logging.getLogger().addHandler(handler)
logging.getLogger().setLevel(logging.INFO)  # ApplicationLogLevel: INFO
import chalicelib.api.timers  # the Reconciler's handler module, imported as Lambda does
print("app.py imported:", "app" in sys.modules, file=sys.stderr)
logging.getLogger("ticketwarden.timers").info("reconciler pass", extra={"repaired": 2, "failed": 0})
"""


def test_the_reconciler_lambda_emits_a_json_line_the_metric_filter_matches():
    """In its own process (no app.py, as on Lambda) the line must come out as JSON with
    `repaired` at the top level: a text handler (Chalice's) would blind `{ $.repaired > 0 }`."""
    env = {**os.environ, "AWS_DEFAULT_REGION": "eu-west-1"}
    run = subprocess.run([sys.executable, "-c", LAMBDA_PROCESS], cwd=ROOT, capture_output=True,
                         text=True, timeout=120, env=env)
    assert run.returncode == 0, run.stderr
    lines = []
    for line in run.stdout.splitlines():
        try:
            lines.append(json.loads(line))
        except ValueError:
            continue
    passes = [line for line in lines if line.get("message") == "reconciler pass"]
    assert passes and all(line.get("repaired") == 2 for line in passes), run.stdout


def test_the_zip_is_small(package):
    zipped = package / "deployment.zip"
    size = zipped.stat().st_size
    print(f"deployment.zip: {size / 2**20:.1f} MiB")
    assert 0 < size < MAX_ZIP_BYTES


# ------------------------------------------------------------------ least privilege

def test_the_policy_file_grants_exactly_the_expected_actions():
    granted = {sid: actions(s) for sid, s in statements(policy_file()).items()}
    assert granted == EXPECTED_ACTIONS
    assert all(s["Effect"] == "Allow" for s in policy_file()["Statement"])


def test_every_role_grants_the_policy_file_actions_on_this_stacks_resources(resources):
    for role_id in ROLES.values():
        policies = resources[role_id]["Properties"]["Policies"]
        merged = {sid: s for p in policies for sid, s in statements(p["PolicyDocument"]).items()}
        expected = {**EXPECTED_ACTIONS, **(NOTIFIER_ACTIONS if role_id == "NotifierRole" else {})}
        assert {sid: actions(s) for sid, s in merged.items()} == expected, role_id
        text = json.dumps(policies)
        assert "ticketwarden-*" not in text, f"{role_id} kept a name-pattern resource"
        wildcards = [sid for sid, s in merged.items() if s["Resource"] == "*"]
        assert wildcards == ["ScheduleListing"], role_id
        assert merged["PassSchedulerRole"]["Resource"] == {"Fn::GetAtt": ["SchedulerRole", "Arn"]}
        assert merged["PassSchedulerRole"]["Condition"] == {
            "StringEquals": {"iam:PassedToService": "scheduler.amazonaws.com"}}
        assert merged["TableItems"]["Resource"] == {"Fn::GetAtt": ["Table", "Arn"]}
        assert merged["VaultKey"]["Resource"] == {"Fn::GetAtt": ["VaultKey", "Arn"]}
        assert merged["VaultKey"]["Condition"] == {
            "Null": {"kms:EncryptionContext:ticket_id": "false"}}
        assert merged["Logs"]["Resource"] == {
            "Fn::GetAtt": [role_id.replace("Role", "LogGroup"), "Arn"]}


def test_every_action_is_a_real_iam_action():
    """cfn-lint skips its IAM action check (W3037) on SAM templates, so check here."""
    from cfnlint.data import AdditionalSpecs
    from cfnlint.helpers import load_resource
    known = load_resource(AdditionalSpecs, "Policies.json")
    for action in set().union(*EXPECTED_ACTIONS.values(), *NOTIFIER_ACTIONS.values(),
                              {"lambda:InvokeFunction"}):
        service, name = action.split(":")
        assert name.lower() in known[service]["Actions"], action


def test_every_aws_call_the_code_makes_is_granted():
    """A boto3 call added to an adapter without its permission fails here, not in production."""
    session = botocore.session.get_session()
    operations = {}
    for service in ("dynamodb", "scheduler", "kms", "ssm"):
        for name in session.get_service_model(service).operation_names:
            operations.setdefault(xform_name(name), set()).add(f"{service}:{name}")
    called: dict[str, set[str]] = {}
    for path in sorted((ROOT / "chalicelib" / "adapters").rglob("*.py")):  # the boto3 ring
        source = path.read_text()
        used = set(re.findall(r"""[."'](\w+)(?=["'(])""", source))
        for op in used & operations.keys() - NOT_ON_LAMBDA.keys():
            called.setdefault(op, set()).add(str(path.relative_to(ROOT)))
    needed = set()
    for op in called:
        if op == "transact_write_items":  # authorised item by item
            kinds = set()
            for where in called[op]:
                kinds |= set(re.findall(r"""["'](Put|Update|Delete|ConditionCheck)["']""",
                                        (ROOT / where).read_text()))
            needed |= {f"dynamodb:{k}Item" for k in kinds}
        elif op == "execute_statement":  # PartiQL: authorised by statement kind (only SELECT)
            needed.add("dynamodb:PartiQLSelect")
        else:
            needed |= operations[op]
    granted = set().union(*EXPECTED_ACTIONS.values())
    assert needed - granted == set(), f"called but not granted: {sorted(needed - granted)}"
    unused = granted - needed - {a for a in granted if a.startswith(("logs:", "iam:"))}
    assert unused == set(), f"granted but never called (drop them): {sorted(unused)}"


def test_what_the_gateway_answers_itself_has_the_contract_error_shape(resources):
    responses = {r["Properties"]["ResponseType"]: r["Properties"] for r in resources.values()
                 if r["Type"] == "AWS::ApiGateway::GatewayResponse"}
    assert set(responses) == {"MISSING_AUTHENTICATION_TOKEN", "DEFAULT_4XX", "DEFAULT_5XX"}
    assert responses["MISSING_AUTHENTICATION_TOKEN"]["StatusCode"] == "404"
    assert {r.get("Condition") for r in resources.values()
            if r["Type"] == "AWS::ApiGateway::GatewayResponse"} == {"UseRestApi"}
    for kind, properties in responses.items():
        assert properties["RestApiId"] == {"Ref": "RestAPI"}
        rendered = properties["ResponseTemplates"]["application/json"].replace(
            "$context.error.messageString", '"Missing Authentication Token"')  # a quoted string
        body = json.loads(rendered)
        assert set(body["error"]) == {"code", "message", "details"}, kind


# ------------------------------------------------------------------ the API front: HTTP or REST

def http_api_module():
    """scripts/http_api.py, which package.sh runs: imported here for its guard."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("http_api", ROOT / "scripts" / "http_api.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def chalice_routes() -> set[tuple[str, str]]:
    import app
    return {(method, path) for path, methods in app.app.routes.items() for method in methods}


def http_routes(resources) -> dict[str, dict]:
    return {name: r for name, r in resources.items() if r["Type"] == "AWS::ApiGatewayV2::Route"}


def test_the_front_is_a_parameter_http_by_default(template):
    parameter = template["Parameters"]["ApiFront"]
    assert (parameter["Default"], parameter["AllowedValues"]) == ("http", ["http", "rest"])
    assert template["Conditions"]["UseHttpApi"] == {"Fn::Equals": [{"Ref": "ApiFront"}, "http"]}
    assert template["Conditions"]["UseRestApi"] == {"Fn::Equals": [{"Ref": "ApiFront"}, "rest"]}


def test_the_http_api_has_one_route_per_chalice_route(resources):
    routes = http_routes(resources)
    keys = [tuple(r["Properties"]["RouteKey"].split(" ", 1)) for r in routes.values()]
    assert len(keys) == len(set(keys))
    assert set(keys) == chalice_routes()
    swagger = resources["RestAPI"]["Properties"]["DefinitionBody"]["paths"]  # chalice's REST API
    assert set(keys) == {(method.upper(), path) for path, item in swagger.items()
                         for method in item if not method.startswith("x-")}
    for name, route in routes.items():
        assert route["Condition"] == "UseHttpApi", name
        assert route["Properties"]["ApiId"] == {"Ref": "HttpApi"}, name
        assert route["Properties"]["Target"] == {"Fn::Sub": "integrations/${HttpApiIntegration}"}
    assert not {k for k in keys if k[1] in ("$default", "/{proxy+}") or "+}" in k[1]}, \
        "a catch-all route: Chalice would answer 405 (tests/app/test_http_api_events.py)"
    assert set(resources["HttpApiStage"]["DependsOn"]) == set(routes)


def test_the_http_api_sends_payload_format_1_0_to_the_api_function(resources):
    api = resources["HttpApi"]
    assert (api["Type"], api["Condition"], api["Properties"]["ProtocolType"]) == (
        "AWS::ApiGatewayV2::Api", "UseHttpApi", "HTTP")
    assert api["Properties"]["Name"] == resources["RestAPI"]["Properties"]["Name"]
    integration = resources["HttpApiIntegration"]
    assert integration["Condition"] == "UseHttpApi"
    assert integration["Properties"] == {
        "ApiId": {"Ref": "HttpApi"}, "IntegrationType": "AWS_PROXY",
        "IntegrationUri": {"Fn::GetAtt": ["APIHandler", "Arn"]}, "PayloadFormatVersion": "1.0",
        "TimeoutInMillis": 29000}
    assert resources["APIHandler"]["Properties"]["Timeout"] * 1000 < 29000
    stage = resources["HttpApiStage"]
    assert stage["Condition"] == "UseHttpApi"
    assert stage["Properties"] == {"ApiId": {"Ref": "HttpApi"}, "StageName": "api",
                                   "AutoDeploy": True}
    assert stage["Properties"]["StageName"] == resources["RestAPI"]["Properties"]["StageName"]


def test_the_http_api_may_invoke_the_api_function_and_only_it(resources):
    permission = resources["HttpApiInvokePermission"]
    assert (permission["Type"], permission["Condition"]) == ("AWS::Lambda::Permission",
                                                             "UseHttpApi")
    assert permission["Properties"] == {
        "FunctionName": {"Ref": "APIHandler"}, "Action": "lambda:InvokeFunction",
        "Principal": "apigateway.amazonaws.com",
        "SourceArn": {"Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:"
                                 "${AWS::AccountId}:${HttpApi}/*"}}


def test_the_rest_api_exists_only_when_chosen(template, resources):
    for name in ("RestAPI", "APIHandlerInvokePermission", "UnknownRouteResponse",
                 "Gateway4xxResponse", "Gateway5xxResponse"):
        assert resources[name]["Condition"] == "UseRestApi", name
    rest_permission = resources["APIHandlerInvokePermission"]["Properties"]["SourceArn"]
    assert {"Ref": "RestAPI"} in rest_permission["Fn::Sub"][1].values()
    outputs = template["Outputs"]
    assert outputs["RestAPIId"]["Condition"] == "UseRestApi"
    assert outputs["HttpApiId"] == {"Condition": "UseHttpApi", "Value": {"Ref": "HttpApi"}}
    everywhere = {r.get("Condition") for n, r in resources.items()
                  if r["Type"].startswith(("AWS::ApiGatewayV2::", "AWS::ApiGateway::"))
                  or n.startswith("HttpApi")}
    assert everywhere == {"UseHttpApi", "UseRestApi"}
    assert http_api_module().front_problems(template) == []


def test_the_outputs_name_whichever_front_is_on(template):
    outputs = template["Outputs"]
    for name, suffix in (("EndpointURL", "/api/"), ("WebhookURL", "/api/webhooks/{marketplace}")):
        condition, http, rest = outputs[name]["Value"]["Fn::If"]
        assert condition == "UseHttpApi", name
        host = ".execute-api.${AWS::Region}.${AWS::URLSuffix}"
        assert http == {"Fn::Sub": f"https://${{HttpApi}}{host}{suffix}"}, name
        assert rest == {"Fn::Sub": f"https://${{RestAPI}}{host}{suffix}"}, name


def test_the_guard_finds_a_front_resource_outside_its_condition(template):
    """package.sh fails on these: e.g. a REST resource chalice adds one day, left unconditional."""
    import copy
    guard = http_api_module()
    leaky = copy.deepcopy(template)
    del leaky["Resources"]["APIHandlerInvokePermission"]["Condition"]
    leaky["Outputs"]["Leak"] = {"Value": {"Fn::GetAtt": ["HttpApi", "ApiEndpoint"]}}
    wrong_branch = {"Fn::If": ["UseRestApi", {"Ref": "HttpApi"}, {"Ref": "RestAPI"}]}
    leaky["Outputs"]["WrongBranch"] = {"Value": wrong_branch}
    leaky["Resources"]["HttpRoutePostWebhooksMarketplace"].pop("Condition")
    assert guard.front_problems(leaky) == sorted([
        "Outputs Leak uses HttpApi outside Condition UseHttpApi",
        "Outputs WrongBranch uses HttpApi outside Condition UseHttpApi",
        "Outputs WrongBranch uses RestAPI outside Condition UseRestApi",
        "Resources APIHandlerInvokePermission uses RestAPI outside Condition UseRestApi",
        "HttpRoutePostWebhooksMarketplace has no Condition UseHttpApi",
        "Resources HttpRoutePostWebhooksMarketplace uses HttpApi outside Condition UseHttpApi",
        "Resources HttpRoutePostWebhooksMarketplace uses HttpApiIntegration outside Condition "
        "UseHttpApi"])


def test_route_ids_are_generated_from_method_and_path():
    guard = http_api_module()
    assert guard.logical_id("POST", "/webhooks/{marketplace}") == "HttpRoutePostWebhooksMarketplace"
    assert guard.logical_id("GET", "/v1/support-hours") == "HttpRouteGetV1SupportHours"
    assert guard.logical_id("GET", "/") == "HttpRouteGetRoot"
    with pytest.raises(SystemExit):  # two paths, one id: the package fails rather than drop one
        guard.route_resources([("GET", "/a-b"), ("GET", "/a/b")])
