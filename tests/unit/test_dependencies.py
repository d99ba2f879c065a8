"""Every third-party module the package imports is declared, and every declared
dependency is used (issue 10.12: lxml and cssselect were imported but undeclared,
tomli-w declared but unused)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {_norm(re.split(r"[<>=!~\[; ]", dep, maxsplit=1)[0])
            for dep in project["dependencies"]}


def imported_distributions() -> dict[str, set[str]]:
    """distribution -> modules of ours importing it (third-party only)."""
    dists = packages_distributions()
    out: dict[str, set[str]] = {}
    for path in (ROOT / "tui_tracker").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top == "tui_tracker" or top in sys.stdlib_module_names:
                    continue
                for dist in dists.get(top, [top]):
                    out.setdefault(_norm(dist), set()).add(path.name)
    return out


def test_every_imported_distribution_is_declared() -> None:
    missing = {d: sorted(m) for d, m in imported_distributions().items() if d not in declared()}
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"


def test_every_declared_dependency_is_imported() -> None:
    unused = declared() - set(imported_distributions())
    assert not unused, f"declared in pyproject.toml but never imported: {sorted(unused)}"
