"""The tenants file of local mode (examples/tenants.yaml), checked whole before anything starts.

Every problem is reported at once as `file:line: key: problem`: YAML errors, duplicate keys
(which YAML would otherwise silently overwrite), unknown keys, malformed secrets and keys,
profile names that no profile has, and an API key given to two sellers.
"""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from chalicelib.domain.model import Marketplace, Seller
from chalicelib.services.status import hash_api_key

Secret = Annotated[str, StringConstraints(pattern=r"^whsec_[A-Za-z0-9+/=]{8,}$")]
ApiKey = Annotated[str, StringConstraints(min_length=16)]
Location = tuple  # a path of keys and indexes, e.g. ("marketplaces", "cmsmart", "secrets", 0)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EndpointEntry(_Strict):
    """Where a marketplace's `action.requested` notices go (CONTRACT "Outbound notices")."""
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]
    secret: Secret


class MarketplaceEntry(_Strict):
    policy: str
    secrets: Annotated[list[Secret], Field(min_length=1)]
    endpoints: Annotated[list[EndpointEntry], Field(max_length=10)] = []  # action.requested goes here


class SellerEntry(_Strict):
    api_keys: list[ApiKey] = []
    policy: str | None = None


class TenantsFile(_Strict):
    marketplaces: dict[str, MarketplaceEntry]
    sellers: dict[str, SellerEntry] = {}


class _LineLoader(yaml.SafeLoader):
    """Safe YAML that remembers the line of every key and refuses duplicate keys."""

    def __init__(self, stream):
        super().__init__(stream)
        self.lines: dict[Location, int] = {}
        self.problems: list[tuple[int, Location, str]] = []


def _located(loader: _LineLoader, node, at: Location):
    loader.lines.setdefault(at, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key in result:
                loader.problems.append((key_node.start_mark.line + 1, at + (key,),
                                        "duplicate key (the first one would be silently lost)"))
                continue
            loader.lines[at + (key,)] = key_node.start_mark.line + 1
            result[key] = _located(loader, value_node, at + (key,))
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_located(loader, item, at + (n,)) for n, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def _parse(text: str) -> tuple[object, dict[Location, int], list[tuple[int, Location, str]]]:
    loader = _LineLoader(text)
    try:
        node = loader.get_single_node()
        raw = _located(loader, node, ()) if node is not None else {}
        return raw, loader.lines, loader.problems
    finally:
        loader.dispose()


def _line(lines: dict[Location, int], at: Location) -> int:
    while at and at not in lines:
        at = at[:-1]
    return lines.get(at, 1)


def _dotted(at: Location) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in at).lstrip(".") or "(top)"


def _entries(raw, section: str) -> dict:
    entries = raw.get(section) if isinstance(raw, dict) else None
    if not isinstance(entries, dict):
        return {}
    return {k: v for k, v in entries.items() if isinstance(v, dict)}


def _semantic_problems(raw, profiles: set[str]) -> list[tuple[Location, str]]:
    """What the schema cannot see; read from the raw file so it is reported with schema errors."""
    problems, owners = [], {}
    known = ", ".join(sorted(profiles))
    for section in ("marketplaces", "sellers"):
        for name, entry in _entries(raw, section).items():
            policy = entry.get("policy")
            if isinstance(policy, str) and policy not in profiles:
                problems.append(((section, name, "policy"),
                                 f"no profile named '{policy}' (known: {known})"))
    for name, seller in _entries(raw, "sellers").items():
        keys = seller.get("api_keys")
        for n, key in enumerate(keys if isinstance(keys, list) else []):
            if isinstance(key, str) and owners.setdefault(key, name) != name:
                problems.append((("sellers", name, "api_keys", n),
                                 f"the same API key as seller '{owners[key]}'"))
    return problems


def check(path: Path, profiles: set[str]) -> tuple[TenantsFile | None, list[str]]:
    """The parsed file and every problem found in it, each as `file:line: key: problem`."""
    try:
        raw, lines, duplicates = _parse(path.read_text(encoding="utf-8"))
    except OSError as exc:
        return None, [f"{path}: cannot read tenants file: {exc.strerror}"]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        return None, [f"{path}{line}: not valid YAML: {getattr(exc, 'problem', exc)}"]
    found = [(line, at, problem) for line, at, problem in duplicates]
    tenants = None
    try:
        tenants = TenantsFile.model_validate(raw if raw is not None else {})
    except ValidationError as exc:
        for error in exc.errors():
            at = tuple(error["loc"])
            found.append((_line(lines, at), at, _problem(error)))
    found += [(_line(lines, at), at, problem) for at, problem in _semantic_problems(raw, profiles)]
    found.sort(key=lambda item: item[0])
    return tenants, [f"{path}:{line}: {_dotted(at)}: {problem}" for line, at, problem in found]


def _problem(error: dict) -> str:
    if error["type"] == "string_pattern_mismatch" and "whsec_" in error["ctx"]["pattern"]:
        return "not a signing secret (whsec_ followed by base64)"
    if error["type"] == "string_pattern_mismatch" and "https?" in error["ctx"]["pattern"]:
        return "not an http(s) URL"
    if error["type"] == "extra_forbidden":
        return "unknown key"
    return error["msg"]


def load(path: Path, profiles: set[str]) -> TenantsFile:
    """Stops local mode with every problem of the file, before anything starts."""
    tenants, problems = check(path, profiles)
    if problems or tenants is None:
        raise SystemExit("invalid tenants file, nothing was started:\n  " + "\n  ".join(problems))
    return tenants


def marketplaces(tenants: TenantsFile) -> list[Marketplace]:
    return [Marketplace(name=name, policy=entry.policy, secrets=tuple(entry.secrets))
            for name, entry in tenants.marketplaces.items()]


def sellers(tenants: TenantsFile) -> list[tuple[Seller, tuple[str, ...]]]:
    return [(Seller(seller_id=name, policy=entry.policy),
             tuple(hash_api_key(k) for k in entry.api_keys))
            for name, entry in tenants.sellers.items()]


def marketplace_endpoints(tenants: TenantsFile) -> list[tuple[str, str, str]]:
    """(marketplace, url, secret) of each endpoint that receives the marketplace's notices."""
    return [(name, e.url, e.secret) for name, entry in tenants.marketplaces.items()
            for e in entry.endpoints]
