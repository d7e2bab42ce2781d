"""make run's state snapshot: what moto held comes back whole, KMS key material included."""
from __future__ import annotations

import boto3
from moto import mock_aws

from chalicelib.adapters.dynamo.schema import create_table
from chalicelib.adapters.kms_vault import KmsVault, ensure_key
from chalicelib.adapters.ssm_secrets import SsmSecrets
from chalicelib.local import snapshot
from tests.builders import T0

TIMER = {"Arn": "arn:aws:lambda:eu-west-1:123456789012:function:t",
         "RoleArn": "arn:aws:iam::123456789012:role/r", "Input": "{}"}


def _fill() -> str:
    dynamodb = boto3.client("dynamodb")
    create_table(dynamodb, "tw-snap")
    dynamodb.put_item(TableName="tw-snap", Item={"PK": {"S": "T#1"}, "SK": {"S": "#TICKET"}})
    SsmSecrets(boto3.client("ssm"), "/tw/snap").add("cmsmart", "whsec_c2VjcmV0", T0)
    scheduler = boto3.client("scheduler")
    scheduler.create_schedule_group(Name="tw-snap")
    scheduler.create_schedule(Name="t1", GroupName="tw-snap", Target=TIMER,
                              ScheduleExpression="at(2030-01-01T00:00:00)",
                              FlexibleTimeWindow={"Mode": "OFF"})
    kms = boto3.client("kms")
    return KmsVault(kms, ensure_key(kms, "alias/tw-snap")).seal("tkt_1", "hunter2!")


def test_a_restored_snapshot_holds_items_secrets_schedules_and_can_decrypt(aws_env, tmp_path):
    path = tmp_path / "state" / "moto.pickle"
    with mock_aws():
        sealed = _fill()
        saved = snapshot.save(path)
    assert {"dynamodb", "kms", "scheduler", "ssm"} <= set(saved.services)
    with mock_aws():  # a new, empty moto
        assert boto3.client("dynamodb").list_tables()["TableNames"] == []
        restored = snapshot.restore(path)
        assert restored.services == saved.services
        items = boto3.client("dynamodb").scan(TableName="tw-snap")["Items"]
        assert [i for i in items if i["PK"]["S"] != "SCHEMA"] == [{"PK": {"S": "T#1"}, "SK": {"S": "#TICKET"}}]
        assert SsmSecrets(boto3.client("ssm"), "/tw/snap").active("cmsmart") == ("whsec_c2VjcmV0",)
        names = boto3.client("scheduler").list_schedules(GroupName="tw-snap")["Schedules"]
        assert [s["Name"] for s in names] == ["t1"]
        kms = boto3.client("kms")
        assert KmsVault(kms, "alias/tw-snap").open("tkt_1", sealed) == "hunter2!"


def test_a_snapshot_is_written_atomically(aws_env, tmp_path):
    path = tmp_path / "moto.pickle"
    with mock_aws():
        _fill()
        snapshot.save(path)
        snapshot.save(path)
    assert [p.name for p in tmp_path.iterdir()] == ["moto.pickle"]
