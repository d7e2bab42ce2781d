"""CRJ-3: credentials pasted into messages are redacted from stored text and sealed in a vault.

Bounded work per message whatever the body holds: every credential found is redacted, and
those kept are sealed together as ONE vault item per message, in at most MAX_SEALS KMS
calls (KMS encrypts at most 4 KiB per call); what does not fit, or comes after the ticket's
MAX_VAULT_ITEMS messages with credentials (policy/messages.py), is redacted and counted as
not kept. A message
with more than MAX_CREDENTIALS is not a support message: a 400 before any write.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace

from chalicelib.domain.errors import InvalidInputError
from chalicelib.domain.model import Message, SealedCredential, SharedCredentials, VaultRef
from chalicelib.text.credentials import FoundCredential, redact

from .ports import CredentialVault

MAX_CREDENTIALS = 200  # per message (400 above)
MAX_SEAL_BYTES = 4096  # KMS Encrypt's plaintext limit
MAX_SEALS = 4  # KMS calls per message
BUNDLE = "bundle"  # VaultRef.kind of a message's vault item; older items hold one value each
SEPARATOR = "\n"  # between the ciphertexts of a bundle (base64 never contains it)


@dataclass(frozen=True)
class Protected:
    """A message as it may be stored, its sealed vault item (if any) and what was counted."""

    message: Message
    sealed: tuple[SealedCredential, ...] = ()
    found: int = 0
    kept: int = 0

    @property
    def credentials(self) -> SharedCredentials:
        return SharedCredentials(tuple(s.ref for s in self.sealed), self.found, self.kept)


@dataclass
class CredentialKeeper:
    vault: CredentialVault

    def protect(self, ticket_id: str, message: Message) -> Protected:
        """Encrypted once per delivery, before the commit, so a vault failure is a 503 with
        nothing applied and a retry after a conflict encrypts nothing again."""
        redaction = redact(message.body)
        found = redaction.found
        if not found:
            return Protected(message)
        if len(found) > MAX_CREDENTIALS:
            raise InvalidInputError("too many credentials in one message", [
                ("data.body", f"holds {len(found)} credentials; at most {MAX_CREDENTIALS}")])
        redacted = replace(message, body=redaction.text)
        chunks, kept = _chunks(found)
        if not chunks:
            return Protected(redacted, found=len(found))
        ciphertext = SEPARATOR.join(self.vault.seal(ticket_id, chunk) for chunk in chunks)
        ref = VaultRef(message.message_id, BUNDLE, f"{kept} credentials")
        return Protected(redacted, (SealedCredential(ref, ciphertext),), len(found), kept)

    def open(self, ticket_id: str, sealed: SealedCredential) -> list[dict]:
        """The read-back items of one vault item (a bundle, or an older one-value item)."""
        if sealed.ref.kind != BUNDLE:
            return [{"entry": sealed.ref.entry_id, "kind": sealed.ref.kind, "label": sealed.ref.label,
                     "value": self.vault.open(ticket_id, sealed.ciphertext)}]
        return [{"entry": f"{sealed.ref.entry_id}#{n}", "kind": kind, "label": label, "value": value}
                for part in sealed.ciphertext.split(SEPARATOR)
                for n, kind, label, value in json.loads(self.vault.open(ticket_id, part))]


def _chunks(found: tuple[FoundCredential, ...]) -> tuple[list[str], int]:
    """JSON lists of [n, kind, label, value] (entry `<message id>#<n>`), at most MAX_SEAL_BYTES
    each and MAX_SEALS of them, in order of finding."""
    chunks, current, kept = [], [], 0
    for number, credential in enumerate(found, start=1):
        item = [number, credential.kind, credential.label, credential.value]
        if _size([item]) > MAX_SEAL_BYTES:
            continue
        if current and _size(current + [item]) > MAX_SEAL_BYTES:
            chunks.append(json.dumps(current))
            current = []
        if len(chunks) == MAX_SEALS:
            continue
        current.append(item)
        kept += 1
    if current and len(chunks) < MAX_SEALS:
        chunks.append(json.dumps(current))
    return chunks, kept


def _size(items: list[list]) -> int:
    return len(json.dumps(items).encode("utf-8"))
