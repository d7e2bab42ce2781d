"""The three rings (README "Layout"): a forbidden import anywhere fails this test."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "chalicelib"
STDLIB = set(sys.stdlib_module_names)


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def modules(*parts: str) -> list[Path]:
    return sorted(PACKAGE.joinpath(*parts).rglob("*.py"))


def offenders(paths: list[Path], forbidden) -> list[str]:
    return [f"{p.relative_to(ROOT)}: {sorted(m for m in imports(p) if forbidden(m))}"
            for p in paths if any(forbidden(m) for m in imports(p))]


def test_domain_imports_only_the_standard_library():
    assert offenders(modules("domain"), lambda m: m not in STDLIB and m != "chalicelib") == []


def test_domain_imports_nothing_from_outer_rings():
    outer = ("chalicelib.services", "chalicelib.adapters", "chalicelib.api")
    bad = []
    for path in modules("domain"):
        tree = ast.parse(path.read_text())
        bad += [f"{path.name}: {n.module}" for n in ast.walk(tree)
                if isinstance(n, ast.ImportFrom) and n.module and n.module.startswith(outer)]
    assert bad == []


def test_boto3_and_botocore_only_in_adapters():
    everything_but_adapters = [p for p in PACKAGE.rglob("*.py") if "adapters" not in p.parts]
    assert offenders(everything_but_adapters, lambda m: m in ("boto3", "botocore")) == []


def test_chalice_only_in_app_and_the_api_package():
    outside_api = [p for p in PACKAGE.rglob("*.py") if "api" not in p.relative_to(PACKAGE).parts[:1]]
    assert offenders(outside_api, lambda m: m == "chalice") == []


def test_services_do_not_import_the_api():
    bad = [str(p) for p in modules("services") if "chalicelib.api" in p.read_text()]
    assert bad == []


INNER_RINGS = {  # ring -> (third-party packages, chalicelib packages it may import)
    "time": ({"holidays"}, {"time", "domain"}),
    "text": ({"langdetect", "yaml"}, {"text", "domain", "yaml_files"}),
    "policy": ({"pydantic", "yaml"}, {"policy", "domain", "text", "time", "yaml_files"}),
}


def full_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            bare = node.module == "chalicelib"  # from chalicelib import yaml_files
            found |= {f"chalicelib.{a.name}" for a in node.names} if bare else {node.module}
    return found


def ring_offences(ring: str) -> list[str]:
    third_party, own = INNER_RINGS[ring]

    def allowed(module: str) -> bool:
        top = module.split(".")[0]
        if top in STDLIB or top in third_party:
            return True
        return top == "chalicelib" and module.split(".")[1] in own

    return [f"{p.relative_to(ROOT)}: {m}" for p in modules(ring) for m in sorted(full_imports(p))
            if not allowed(m)]


def test_time_imports_only_stdlib_holidays_and_the_domain():
    assert ring_offences("time") == []


def test_text_imports_only_stdlib_its_detector_and_the_domain():
    assert ring_offences("text") == []


def test_policy_imports_only_stdlib_pydantic_and_the_inner_rings():
    assert ring_offences("policy") == []
