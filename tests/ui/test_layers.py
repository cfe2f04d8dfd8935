"""Layer rules import-linter cannot state (it sees PySide6 as one package): only app/ui
imports QtWidgets, and nothing in app/ui runs SQL text."""

from __future__ import annotations

import ast
import re
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"


def _imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_only_the_window_imports_qt_widgets():
    offenders = [str(p.relative_to(APP)) for p in APP.rglob("*.py")
                 if "ui" not in p.relative_to(APP).parts[:1]
                 and any(m.startswith("PySide6.QtWidgets") for m in _imports(p))]
    assert offenders == []


SQL = re.compile(r"\b(INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+TABLE|\.execute\()", re.I)


def test_the_window_and_the_services_write_no_sql():
    offenders = [str(p.relative_to(APP)) for part in ("ui", "services")
                 for p in (APP / part).rglob("*.py") if SQL.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
