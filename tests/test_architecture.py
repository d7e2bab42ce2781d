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
