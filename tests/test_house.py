"""The house rules as tests: the import layers, the linter, SQL only in db/, functions on a screen."""
import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CODE = ("crawler", "pipeline", "db")
SQL = re.compile(r"\b(SELECT .* FROM|INSERT (OR \w+ )?INTO|UPDATE \[?\w+\]? SET|DELETE FROM|CREATE (TABLE|INDEX)|"
                 r"ALTER TABLE|PRAGMA \w+)\b")
MAX_FUNCTION_LINES = 60


def _tool(name: str) -> str:
    exe = Path(sys.executable).parent / name
    return str(exe) if exe.exists() else (shutil.which(name) or pytest.fail(f"{name} is not installed"))


def test_import_contracts_are_kept():
    proc = subprocess.run([_tool("lint-imports"), "--no-cache"], cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "0 broken" in proc.stdout


def test_a_backward_import_breaks_the_contract(tmp_path):
    """The contract can fail: the same check on a copy where extraction imports the store."""
    for d in CODE:
        shutil.copytree(REPO / d, tmp_path / d, ignore=shutil.ignore_patterns("mirror", "__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path)
    bad = tmp_path / "pipeline" / "extract" / "dates.py"
    bad.write_text(bad.read_text(encoding="utf-8") + "\nfrom pipeline.load import documents  # noqa\n",
                   encoding="utf-8")
    proc = subprocess.run([_tool("lint-imports"), "--no-cache"], cwd=tmp_path, capture_output=True, text=True,
                          env={"PYTHONPATH": str(tmp_path), "PATH": ""})
    assert proc.returncode != 0 and "pipeline.extract is not allowed to import pipeline.load" in proc.stdout


def test_linter_finds_nothing():
    proc = subprocess.run([_tool("ruff"), "check", "--no-cache", "."], cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-4000:]


def _modules(*roots):
    for root in roots:
        for f in sorted((REPO / root).rglob("*.py")):
            if "mirror" not in f.relative_to(REPO).parts[1:2]:
                yield f


def test_no_sql_outside_db():
    found = [f"{f.relative_to(REPO)}:{n}" for f in _modules("crawler", "pipeline")
             for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1) if SQL.search(line)]
    assert found == []


def test_functions_fit_on_a_screen():
    long = []
    for f in _modules(*CODE):
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = node.end_lineno - node.lineno + 1
                if n > MAX_FUNCTION_LINES:
                    long.append(f"{f.relative_to(REPO)}:{node.lineno} {node.name} ({n} lines)")
    assert long == []
