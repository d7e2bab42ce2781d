"""CRJ-3: credentials pasted into messages are redacted from stored text and sealed in a vault."""
from __future__ import annotations

from dataclasses import dataclass, replace

from chalicelib.domain.model import Message, SealedCredential, VaultRef
from chalicelib.text.credentials import redact

from .ports import CredentialVault


@dataclass
class CredentialKeeper:
    vault: CredentialVault

    def protect(self, ticket_id: str, message: Message) -> tuple[Message, tuple[SealedCredential, ...]]:
        """The message as it may be stored, and the sealed originals (encrypted before the commit,
        so a vault failure is a 503 with nothing applied)."""
        redaction = redact(message.body)
        if not redaction.found:
            return message, ()
        sealed = tuple(
            SealedCredential(VaultRef(f"{message.message_id}#{n}", found.kind, found.label),
                             self.vault.seal(ticket_id, found.value))
            for n, found in enumerate(redaction.found, start=1))
        return replace(message, body=redaction.text), sealed
