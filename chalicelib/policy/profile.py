"""Policy profiles: YAML validated by pydantic; errors name the bad key and its line."""
from __future__ import annotations

import functools
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from chalicelib import yaml_files
from chalicelib.domain.errors import ProfileError
from chalicelib.text import precompiled
from chalicelib.time.calendar import BusinessCalendar
from chalicelib.time.zones import zone_info

from .registry import RULE_TYPES, RuleType, When
from .rules.base import Params

BUILT_IN = Path(__file__).parent / "profiles"
SHADOW_MOMENTS = ("opening", "follow_up", "every_customer_message", "closed_ticket")
RuleId = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,5}-\d+[a-z]?$")]


class RuleEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # built on first validation
    id: RuleId
    type: str
    when: When | None = None
    mode: Literal["enforce", "shadow"] = "enforce"  # shadow: record the decision, act on nothing
    params: dict[str, Any] = {}


class ProfileFile(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # precompiled profiles skip it
    name: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    version: Annotated[str, Field(min_length=1)]
    description: str = ""
    seeds: list[str] = []
    reply_languages: Annotated[list[str], Field(min_length=1)] = ["en"]
    zone: str = "UTC"  # the marketplace's zone: calendar months (refunds, support periods)
    calendars: dict[str, dict[str, Any]] = {}
    rules: Annotated[list[RuleEntry], Field(min_length=1)]


@dataclass(frozen=True)
class Rule:
    id: str
    type: str
    when: str
    params: Params
    kind: RuleType
    mode: str = "enforce"

    @property
    def shadow(self) -> bool:
        return self.mode == "shadow"


@dataclass(frozen=True)
class Profile:
    name: str
    version: str
    reply_languages: tuple[str, ...]
    rules: tuple[Rule, ...]
    calendars: dict[str, BusinessCalendar] = field(default_factory=dict)
    zone: str = "UTC"

    @property
    def ref(self) -> str:
        """What every decision records (CRJ-11: the policy may change without notice)."""
        return f"{self.name}@{self.version}"

    def rule_of_type(self, rule_type: str) -> Rule | None:
        """The enforced rule of that type (shadow rules only run through the engine)."""
        return next((r for r in self.rules if r.type == rule_type and not r.shadow), None)

    def calendar(self, name: str) -> BusinessCalendar:
        return self.calendars[name]


def parse_profile(text: str, source: str) -> Profile:
    try:
        node = yaml_files.compose(text)
        raw = yaml_files.load(text)
    except yaml_files.YAMLError as exc:
        raise ProfileError(f"{source}: not valid YAML: {exc}") from exc
    try:
        document = ProfileFile.model_validate(raw)
    except ValidationError as exc:
        raise ProfileError(_describe(source, node, exc, ())) from exc
    rules = tuple(_compile(source, node, index, entry) for index, entry in enumerate(document.rules))
    calendars = _calendars(source, node, document.calendars)
    _check_calendar_references(source, node, rules, calendars)
    ids = [r.id for r in rules]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise ProfileError(f"{source}: rule id(s) used twice: {', '.join(duplicated)}")
    return Profile(name=document.name, version=document.version,
                   reply_languages=tuple(document.reply_languages), rules=rules,
                   calendars=calendars, zone=_zone(source, node, document.zone))


def _zone(source: str, node, zone: str) -> str:
    try:
        zone_info(zone)
    except ValueError as exc:
        raise ProfileError(f"{source}:{_line(node, ('zone',))}: zone: {exc}") from exc
    return zone


def _calendars(source: str, node, specs: dict[str, dict]) -> dict[str, BusinessCalendar]:
    calendars = {}
    for name, spec in specs.items():
        try:
            calendars[name] = BusinessCalendar.from_spec(spec)
        except ValueError as exc:
            key = str(exc).split(":", 1)[0].split(".")[0].split("[")[0]
            line = _line(node, ("calendars", name, key))
            raise ProfileError(f"{source}:{line}: calendars.{name}.{exc}") from exc
    return calendars


def _check_calendar_references(source: str, node, rules: tuple[Rule, ...],
                               calendars: dict[str, BusinessCalendar]) -> None:
    for index, rule in enumerate(rules):
        name = getattr(rule.params, "calendar", None)
        if name is not None and name not in calendars:
            line = _line(node, ("rules", index, "params", "calendar"))
            raise ProfileError(f"{source}:{line}: rules[{index}].params.calendar: no calendar "
                               f"named '{name}' (defined: {', '.join(calendars) or 'none'})")


def _compile(source: str, node, index: int, entry: RuleEntry) -> Rule:
    kind = RULE_TYPES.get(entry.type)
    if kind is None:
        line = _line(node, ("rules", index, "type"))
        raise ProfileError(f"{source}:{line}: rules[{index}].type: unknown rule type '{entry.type}' "
                           f"(known: {', '.join(sorted(RULE_TYPES))})")
    try:
        params = kind.params.model_validate(entry.params)
    except ValidationError as exc:
        raise ProfileError(_describe(source, node, exc, ("rules", index, "params"))) from exc
    when = entry.when or kind.when
    if entry.mode == "shadow" and (kind.decide is None or when not in SHADOW_MOMENTS):
        line = _line(node, ("rules", index, "mode"))
        raise ProfileError(f"{source}:{line}: rules[{index}].mode: shadow works only on rules the "
                           f"engine runs on messages ({', '.join(SHADOW_MOMENTS)}); '{entry.type}' "
                           f"runs at '{when}'")
    return Rule(id=entry.id, type=entry.type, when=when, params=params, kind=kind, mode=entry.mode)


def _describe(source: str, node, exc: ValidationError, prefix: tuple) -> str:
    problems = []
    for error in exc.errors(include_url=False):
        path = prefix + tuple(error["loc"])
        problems.append(f"{source}:{_line(node, path)}: {_dotted(path)}: {error['msg']}")
    return "; ".join(problems)


def _dotted(path: tuple) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def _line(node, path: tuple) -> int:
    """Walk the composed YAML to the deepest node of `path` that exists; 1-based line."""
    for part in path:
        child = None
        if isinstance(node, yaml_files.MappingNode):
            child = next((v for k, v in node.value if k.value == str(part)), None)
        elif isinstance(node, yaml_files.SequenceNode) and isinstance(part, int) and part < len(node.value):
            child = node.value[part]
        if child is None:
            break
        node = child
    return (node.start_mark.line + 1) if node is not None else 1


def load_profile(path: Path) -> Profile:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ProfileError(f"{path}: cannot read profile: {exc}") from exc
    return parse_profile(text, str(path))


@functools.lru_cache(maxsize=None)
def built_in_profiles() -> dict[str, Profile]:
    """The bundled profiles, validated; as precompiled (chalicelib/text/precompiled.py) when that
    is current: then neither YAML nor the parameter models' validators are needed to get them."""
    files = sorted(BUILT_IN.glob("*.yaml"))
    inputs = _built_in_digest(files)
    pickled = precompiled.load("profiles", inputs)
    if pickled is not None:
        return pickle.loads(pickled)
    profiles = {p.name: p for p in (load_profile(f) for f in files)}
    if precompiled.writable():
        precompiled.save("profiles", inputs, pickle.dumps(profiles, protocol=pickle.HIGHEST_PROTOCOL))
    return profiles


def _built_in_digest(files: list[Path]) -> str:
    """The profiles' inputs: their YAML, and the code of every class the built profiles hold
    (policy, time) or that validates them (pydantic)."""
    import pydantic

    parts: list[str | bytes] = [pydantic.VERSION, _holidays_record()]
    for path in files:
        parts += [path.name, path.read_bytes()]
    package = Path(__file__).resolve().parents[1]
    for path in sorted((*package.joinpath("policy").rglob("*.py"), *package.joinpath("time").rglob("*.py"),
                        package / "yaml_files.py")):
        parts += [str(path.relative_to(package)), path.read_bytes()]
    return precompiled.digest(*parts)


def _holidays_record() -> bytes:
    """The installed `holidays` package's RECORD (every file's hash): a calendar's country
    holidays are computed from it when the profile is built, not imported to check."""
    import importlib.util

    spec = importlib.util.find_spec("holidays")
    if spec is None or not spec.origin:
        return b"no holidays package"
    site = Path(spec.origin).resolve().parents[1]
    records = sorted(site.glob("holidays-*.dist-info/RECORD"))
    return b"".join(r.read_bytes() for r in records) or spec.origin.encode()
