"""The project's import graph, read from the source with ``ast`` (nothing is imported); and
what a fresh interpreter has loaded after some code (``loaded_after``), to check it against.

A module's imports are those of its top level (also inside a top-level ``try`` or ``if``,
but not under ``if TYPE_CHECKING:``, which never runs). An edge names a project module
(``cohorts.tables``) or, for anything else, the imported module as written
(``litestar.di``, ``reportlab.lib.units``).
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("digiystava", "cohorts", "assessments", "pdf_templates")


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    line: int
    targets: tuple[str, ...]  # what it names: project modules resolved, others as written


@cache
def modules() -> dict[str, Path]:
    """Every module of the project packages (migrations are generated, and import nothing of ours)."""
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "piccolo_migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _resolve(name: str) -> str:
    """``cohorts.tablets.loans.create_loan`` -> ``cohorts.tablets.loans``; anything else stays as written."""
    known = modules()
    candidate = name
    while candidate:
        if candidate in known:
            return candidate
        candidate = candidate.rpartition(".")[0]
    return name


def _targets(node: ast.Import | ast.ImportFrom, module: str) -> tuple[str, ...]:
    if isinstance(node, ast.Import):
        return tuple(_resolve(alias.name) for alias in node.names)
    base = node.module or ""
    if node.level:
        package = module if modules()[module].name == "__init__.py" else module.rpartition(".")[0]
        parts = package.split(".")[: len(package.split(".")) - node.level + 1]
        base = ".".join(parts + ([node.module] if node.module else []))
    # ``from cohorts.tablets import letters`` names the module ``cohorts.tablets.letters``.
    return tuple(sorted({_resolve(f"{base}.{alias.name}") for alias in node.names}))


def _is_type_checking(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _top_level(body: list[ast.stmt]) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []
    for node in body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        elif isinstance(node, (ast.If, ast.Try)) and not _is_type_checking(node):
            for block in (
                node.body,
                node.orelse,
                getattr(node, "finalbody", []),
                *[h.body for h in getattr(node, "handlers", [])],
            ):
                found.extend(_top_level(block))
    return found


@cache
def _tree(module: str) -> ast.Module:
    return ast.parse(modules()[module].read_text(encoding="utf-8"))


@cache
def graph() -> dict[str, frozenset[str]]:
    """Module -> what it imports at its top level."""
    edges = {}
    for module in modules():
        targets = {t for node in _top_level(_tree(module).body) for t in _targets(node, module)}
        targets.discard(module)
        edges[module] = frozenset(targets)
    return edges


def reach(module: str) -> set[str]:
    """Everything loading ``module`` loads: its imports, theirs, and so on (outside names included)."""
    seen: set[str] = set()
    todo = [module]
    while todo:
        for target in graph().get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def cycles() -> list[list[str]]:
    """The import circles among project modules (strongly connected components of more than one module)."""
    edges = {m: sorted(t for t in targets if t in modules()) for m, targets in graph().items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in edges[module]:
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(edges):
        if module not in index:
            visit(module)
    return found


def function_imports() -> list[Import]:
    """Imports written inside a function or method."""
    found = []
    for module in modules():
        for node in ast.walk(_tree(module)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for inner in ast.walk(node):
                    if isinstance(inner, (ast.Import, ast.ImportFrom)):
                        found.append(Import(module, inner.lineno, _targets(inner, module)))
    return sorted(set(found), key=lambda i: (i.module, i.line))


def loaded_after(code: str, tmp_path: Path, names: tuple[str, ...]) -> list[str]:
    """Which of ``names`` (top-level packages) a fresh interpreter has loaded after running ``code``."""
    env = {
        **os.environ,
        "DIGIYSTAVA_DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite",
        "DIGIYSTAVA_SECRET_KEY": "k" * 40,
        "PICCOLO_CONF": "piccolo_conf",
    }
    script = f"import sys\n{code}\nprint(','.join(sorted({{m.split('.')[0] for m in sys.modules}} & {set(names)!r})))"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return [name for name in result.stdout.strip().split(",") if name]
