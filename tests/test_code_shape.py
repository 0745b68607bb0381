"""The code stays in the shape issue 16 gave it: small modules and functions, no import cycle,
no module reaching into another's private names, and our Markdown syntax written in one module.

Read with ``ast`` (nothing is imported), over ``encyclopedia/`` and ``immunoref/``, migrations aside.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("encyclopedia", "immunoref")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
SYNTAX_MODULE = "encyclopedia.mdx.syntax"
# Fragments of the patterns of our Markdown syntax (cross-links, citations): only SYNTAX_MODULE writes them.
SYNTAX_FRAGMENTS = (r"\[\[", r"\]\]", r"-?@", r"\[@")
# Cycles being removed on another branch of issue 16 (search/): delete at the merge.
PENDING_CYCLES: set[str] = set()


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts:
                continue
            parts = list(relative.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = modules()
TREES = {name: ast.parse(path.read_text(), str(path)) for name, path in MODULES.items()}


def imported(name: str, node: ast.ImportFrom | ast.Import) -> list[tuple[str, str | None]]:
    """[(module imported, name taken from it or None)] for one import statement of module ``name``."""
    if isinstance(node, ast.Import):
        return [(alias.name, None) for alias in node.names]
    if node.level:
        package = name.split(".") if MODULES[name].name == "__init__.py" else name.split(".")[:-1]
        base = package[: len(package) - node.level + 1]
        source = ".".join(base + ([node.module] if node.module else []))
    else:
        source = node.module or ""
    results = []
    for alias in node.names:
        submodule = f"{source}.{alias.name}"
        results.append((submodule, None) if submodule in MODULES else (source, alias.name))
    return results


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for name, tree in TREES.items():
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for module, _what in imported(name, node):
                    if module in MODULES and module != name:
                        graph[name].add(module)
    return graph


def test_no_module_is_longer_than_the_limit():
    long = {name: len(path.read_text().splitlines()) for name, path in MODULES.items()}
    assert {name: lines for name, lines in long.items() if lines > MAX_MODULE_LINES} == {}


def test_no_function_is_longer_than_the_limit():
    long = {}
    for name, tree in TREES.items():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long[f"{name}.{node.name}"] = lines
    assert long == {}


def test_there_is_no_import_cycle():
    graph = import_graph()
    cycles = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                cycles.append(path[path.index(target):] + [target])
            elif target not in state:
                visit(target, path + [target])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert [cycle for cycle in cycles if not PENDING_CYCLES & set(cycle)] == []


def test_no_module_imports_another_modules_private_names():
    reaching = []
    for name, tree in TREES.items():
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            for module, what in imported(name, node):
                private_module = any(part.startswith("_") and not part.startswith("__") for part in module.split("."))
                if private_module or (what and what.startswith("_") and not what.startswith("__")):
                    reaching.append(f"{name}: {module}.{what or ''}")
    assert reaching == []


def test_the_patterns_of_our_markdown_syntax_are_written_in_one_module():
    elsewhere = []
    for name, tree in TREES.items():
        if name == SYNTAX_MODULE:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and not _is_docstring(tree, node):
                if any(fragment in node.value for fragment in SYNTAX_FRAGMENTS):
                    elsewhere.append(f"{name}:{node.lineno}: {node.value[:60]!r}")
    assert elsewhere == []
    assert "CITATION_KEY" in MODULES[SYNTAX_MODULE].read_text()


def _is_docstring(tree: ast.Module, constant: ast.Constant) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and first.value is constant:
                return True
    return False
