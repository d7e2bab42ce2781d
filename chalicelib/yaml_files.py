"""YAML for the bundled data files (profiles, lexicons, templates): libyaml when available.

PyYAML's wheels ship libyaml; its C loader reads the 20 bundled files in ~7 ms instead of
~48 ms with the pure-Python one (`make bench`, section c), which the Lambda init phase pays.
Both loaders are the safe ones: no Python objects from YAML tags.

PyYAML itself is imported on first use: when the precompiled artifacts are current
(chalicelib/text/precompiled.py), the init phase and the webhook path read no YAML at all.
`YAMLError`, `MappingNode`, `SequenceNode` and `SAFE_LOADER` are PyYAML's, looked up then.
"""
from __future__ import annotations

import functools


@functools.cache
def _yaml():
    import yaml

    return yaml


def _safe_loader():
    yaml = _yaml()
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def __getattr__(name: str):
    if name == "SAFE_LOADER":
        return _safe_loader()
    if name in ("YAMLError", "MappingNode", "SequenceNode"):
        return getattr(_yaml(), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load(text: str):
    return _yaml().load(text, Loader=_safe_loader())


def compose(text: str):
    """The node tree (a yaml.Node, or None), whose marks give line numbers for error messages."""
    return _yaml().compose(text, Loader=_safe_loader())
