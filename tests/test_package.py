"""`make package`: chalice's SAM template merged with deploy/merge-template.yaml, linted, least-privilege.

Runs scripts/package.sh once for the module (~3 s with chalice's zip cache, ~10 s cold: it
pip-downloads requirements.txt for the Lambda platform, so it needs PyPI).
"""
from __future__ import annotations

import json
import re
import subprocess
import time
from pathlib import Path

import botocore.session
import pytest
from botocore import xform_name

from chalicelib.adapters.dynamo import keys, schema
from tests.builders import encode, message_event, signed_headers

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.xdist_group("package")

FUNCTIONS = {"APIHandler": "api", "Timer": "timer", "Reconciler": "reconciler"}
ROLES = {"APIHandler": "ApiHandlerRole", "Timer": "TimerRole", "Reconciler": "ReconcilerRole"}
CHALICE_IDS = {"APIHandler", "APIHandlerInvokePermission", "Timer", "Reconciler", "RestAPI",
               *ROLES.values()}
MAX_ZIP_BYTES = 15 * 2**20

# Every permission the functions hold. Adding one means adding it here, in .chalice/policy.json
# and in deploy/merge-template.yaml (same Sid): the tests below fail until all three agree.
EXPECTED_ACTIONS = {
    "TableItems": {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
                   "dynamodb:DeleteItem"},
    "TableQueries": {"dynamodb:Query"},
    "Schedules": {"scheduler:CreateSchedule", "scheduler:UpdateSchedule",
                  "scheduler:DeleteSchedule", "scheduler:GetSchedule"},
    "ScheduleListing": {"scheduler:ListSchedules"},
    "PassSchedulerRole": {"iam:PassRole"},
    "VaultKey": {"kms:Encrypt", "kms:Decrypt"},
    "MarketplaceSecrets": {"ssm:GetParametersByPath", "ssm:GetParameter"},
    "Logs": {"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"},
}
# Granted ahead of the code that will use them (issue 7: KMS credential vault, secrets in SSM).
NOT_YET_CALLED = {"kms:Encrypt", "kms:Decrypt", "ssm:GetParametersByPath", "ssm:GetParameter"}
# boto3 calls made only by local mode (`make run` against moto), never on Lambda.
LOCAL_ONLY = {"create_table", "list_tables", "update_time_to_live", "create_schedule_group",
              "get_schedule_group"}
ENVIRONMENT = {
    "TICKETWARDEN_TABLE": {"Ref": "Table"},
    "TICKETWARDEN_SCHEDULE_GROUP": {"Ref": "ScheduleGroup"},
    "TICKETWARDEN_SCHEDULER_ROLE_ARN": {"Fn::GetAtt": ["SchedulerRole", "Arn"]},
    "TICKETWARDEN_TIMER_FUNCTION_ARN": {"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}"
                                                   ":${AWS::AccountId}:function:ticketwarden-${Stage}-timer"},
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
    run = subprocess.run([str(ROOT / ".venv" / "bin" / "cfn-lint"), "--", str(package / "sam.json")],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr


def test_every_merged_key_names_a_generated_resource_or_brings_a_type(resources):
    merge = (ROOT / "deploy" / "merge-template.yaml").read_text()
    declared = set(re.findall(r"^  (\w+):\n", merge.split("\nResources:\n")[1].split("\nOutputs:\n")[0],
                              flags=re.M))
    untyped = {name for name in declared if f"  {name}:\n    Type:" not in merge}
    assert untyped <= CHALICE_IDS, f"merged into nothing (misspelt logical id?): {untyped - CHALICE_IDS}"
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
        "ALL", "KEYS_ONLY"]
    assert props["TimeToLiveSpecification"] == {"AttributeName": keys.TTL_ATTRIBUTE, "Enabled": True}
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["SSESpecification"] == {"SSEEnabled": True}


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


def test_alarms_watch_the_api_the_timer_and_the_reconciler(resources):
    alarms = {k: r["Properties"] for k, r in resources.items() if r["Type"] == "AWS::CloudWatch::Alarm"}
    for alarm in alarms.values():
        assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}]
    api_name = resources["RestAPI"]["Properties"]["Name"]
    metrics = {m["Id"]: m for m in alarms["Api5xxRateAlarm"]["Metrics"]}
    assert metrics["errors"]["MetricStat"]["Metric"]["MetricName"] == "5XXError"
    assert {"Name": "ApiName", "Value": api_name} in metrics["errors"]["MetricStat"]["Metric"]["Dimensions"]
    assert [m["Id"] for m in metrics.values() if m["ReturnData"]] == ["rate"]
    timer = alarms["TimerErrorsAlarm"]
    assert (timer["Namespace"], timer["MetricName"]) == ("AWS/Lambda", "Errors")
    assert timer["Dimensions"] == [{"Name": "FunctionName",
                                    "Value": resources["Timer"]["Properties"]["FunctionName"]}]
    repairs = resources["ReconcilerRepairsMetric"]["Properties"]
    assert repairs["FilterPattern"] == "{ $.repaired > 0 }"
    assert repairs["LogGroupName"] == {"Ref": "ReconcilerLogGroup"}
    log_group = resources["ReconcilerLogGroup"]["Properties"]["LogGroupName"]["Fn::Sub"]
    assert log_group == "/aws/lambda/" + resources["Reconciler"]["Properties"]["FunctionName"]["Fn::Sub"]
    [transformation] = repairs["MetricTransformations"]
    assert (alarms["ReconcilerRepairsAlarm"]["Namespace"], alarms["ReconcilerRepairsAlarm"]["MetricName"]) == (
        transformation["MetricNamespace"], transformation["MetricName"])
    assert resources["AlarmTopic"]["Type"] == "AWS::SNS::Topic"


def test_the_reconciler_logs_the_fields_the_metric_filters_read(client, services, caplog):
    """Lambda's JSON log format turns `extra=` keys into top-level JSON fields."""
    services.scheduler.fail_next(1)  # the sync after the commit fails: the reconciler repairs it
    body = encode(message_event())
    client.http.post("/webhooks/cmsmart", headers=signed_headers(body), body=body)
    event = client.events.generate_cw_event(source="aws.events", detail_type="Scheduled Event",
                                            detail={}, resources=[])
    with caplog.at_level("INFO"):
        client.lambda_.invoke("reconciler", event)
    [record] = [r for r in caplog.records if r.getMessage() == "reconciler pass"]
    assert isinstance(record.repaired, int) and record.repaired > 0
    assert isinstance(record.failed, int)


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
        assert {sid: actions(s) for sid, s in merged.items()} == EXPECTED_ACTIONS, role_id
        text = json.dumps(policies)
        assert "ticketwarden-*" not in text, f"{role_id} kept a name-pattern resource"
        wildcards = [sid for sid, s in merged.items() if s["Resource"] == "*"]
        assert wildcards == ["ScheduleListing"], role_id
        assert merged["PassSchedulerRole"]["Resource"] == {"Fn::GetAtt": ["SchedulerRole", "Arn"]}
        assert merged["PassSchedulerRole"]["Condition"] == {
            "StringEquals": {"iam:PassedToService": "scheduler.amazonaws.com"}}
        assert merged["TableItems"]["Resource"] == {"Fn::GetAtt": ["Table", "Arn"]}
        assert merged["Logs"]["Resource"] == {
            "Fn::GetAtt": [role_id.replace("Role", "LogGroup"), "Arn"]}


def test_every_action_is_a_real_iam_action():
    """cfn-lint skips its IAM action check (W3037) on SAM templates, so check here."""
    from cfnlint.data import AdditionalSpecs
    from cfnlint.helpers import load_resource
    known = load_resource(AdditionalSpecs, "Policies.json")
    for action in set().union(*EXPECTED_ACTIONS.values(), {"lambda:InvokeFunction"}):
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
        for op in set(re.findall(r"""[."'](\w+)(?=["'(])""", source)) & operations.keys() - LOCAL_ONLY:
            called.setdefault(op, set()).add(str(path.relative_to(ROOT)))
    needed = set()
    for op in called:
        if op == "transact_write_items":  # authorised item by item
            kinds = set()
            for where in called[op]:
                kinds |= set(re.findall(r"""["'](Put|Update|Delete|ConditionCheck)["']""",
                                        (ROOT / where).read_text()))
            needed |= {f"dynamodb:{k}Item" for k in kinds}
        else:
            needed |= operations[op]
    granted = set().union(*EXPECTED_ACTIONS.values())
    assert needed - granted == set(), f"called but not granted: {sorted(needed - granted)}"
    unused = granted - needed - NOT_YET_CALLED - {a for a in granted if a.startswith(("logs:", "iam:"))}
    assert unused == set(), f"granted but never called (drop them): {sorted(unused)}"
