"""The credential vault on KMS: each ciphertext is bound to its ticket by the encryption context."""
from __future__ import annotations

import base64

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.adapters import aws_errors
from chalicelib.domain.errors import DependencyError


class KmsVault:
    def __init__(self, client, key_id: str):
        self._client = client
        self._key_id = key_id

    def seal(self, ticket_id: str, plaintext: str) -> str:
        response = self._call("encrypt", KeyId=self._key_id, Plaintext=plaintext.encode("utf-8"),
                              EncryptionContext={"ticket_id": ticket_id})
        return base64.b64encode(response["CiphertextBlob"]).decode("ascii")

    def open(self, ticket_id: str, ciphertext: str) -> str:
        response = self._call("decrypt", CiphertextBlob=base64.b64decode(ciphertext),
                              EncryptionContext={"ticket_id": ticket_id})
        return response["Plaintext"].decode("utf-8")

    def _call(self, operation: str, **params) -> dict:
        try:
            return getattr(self._client, operation)(**params)
        except (ClientError, BotoCoreError) as exc:
            raise aws_errors.translate("KMS", operation, exc) from exc


class FakeVault:
    """Tests and simulations only: reversible and bound to the ticket, but NOT encryption."""

    def __init__(self):
        self.fail = False

    def seal(self, ticket_id: str, plaintext: str) -> str:
        if self.fail:
            raise DependencyError("vault unavailable (injected)")
        mixed = bytes(b ^ 0x5A for b in f"{ticket_id}\x00{plaintext}".encode("utf-8"))
        return base64.b64encode(mixed).decode("ascii")

    def open(self, ticket_id: str, ciphertext: str) -> str:
        bound, _, plaintext = bytes(b ^ 0x5A for b in base64.b64decode(ciphertext)).decode().partition("\x00")
        if bound != ticket_id:
            raise DependencyError("ciphertext belongs to another ticket")
        return plaintext


def ensure_key(client, alias: str) -> str:
    """Local mode: the vault key behind `alias`, created if missing."""
    try:
        return client.describe_key(KeyId=alias)["KeyMetadata"]["KeyId"]
    except ClientError:
        key_id = client.create_key(Description="Ticketwarden credential vault (local)")["KeyMetadata"]["KeyId"]
        client.create_alias(AliasName=alias, TargetKeyId=key_id)
        return key_id
