"""STYLE "Next shapes" 4: imports run down the layers. ``core`` and ``notifications``
(transport only) import no domain app; API authentication lives in ``accounts``."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "ventanilla"
DOMAIN = {"accounts", "people", "registration", "scheduling", "cases", "dependants",
          "affiliation", "contributions", "whatsapp", "channels", "countries", "demo"}


def _imports(package: str):
    for path in (ROOT / package).rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                yield path.relative_to(ROOT), node.module
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    yield path.relative_to(ROOT), alias.name


@pytest.mark.parametrize("package", ["core", "notifications"])
def test_lower_layers_import_no_domain_app(package):
    upward = [(str(p), m) for p, m in _imports(package)
              if m.startswith("ventanilla.") and m.split(".")[1] in DOMAIN]
    assert upward == []
