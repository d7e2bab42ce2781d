"""YAML for the bundled data files (profiles, lexicons, templates): libyaml when available.

PyYAML's wheels ship libyaml; its C loader reads the 20 bundled files in ~7 ms instead of
~48 ms with the pure-Python one (`make bench`, section c), which the Lambda init phase pays.
Both loaders are the safe ones: no Python objects from YAML tags.
"""
from __future__ import annotations

import yaml

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
YAMLError = yaml.YAMLError
MappingNode, SequenceNode = yaml.MappingNode, yaml.SequenceNode


def load(text: str):
    return yaml.load(text, Loader=SAFE_LOADER)


def compose(text: str) -> yaml.Node | None:
    """The node tree, whose marks give line numbers for error messages."""
    return yaml.compose(text, Loader=SAFE_LOADER)
