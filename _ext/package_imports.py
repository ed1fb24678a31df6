"""Which files of a local package a page's code runs: the page's import graph.

A page that imports ``dlguide.training`` runs ``dlguide/__init__.py``,
``dlguide/training.py`` and every ``dlguide`` module those import in turn. The
graph is read with :mod:`ast` from the source files, never by importing them, so
it costs milliseconds and cannot run a page's code. An import anywhere in a module
counts, even inside a function or an ``if TYPE_CHECKING:`` block: the graph may
include a module that a page does not actually run (re-running it needlessly), but
never misses one that it does.

The names a cell may import from the package (``closure`` keeps those that are files):

>>> sorted(imported_modules("import numpy as np; from dlguide.data import digits", "dlguide"))
['dlguide.data', 'dlguide.data.digits']
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
from pathlib import Path

from IPython.core.inputtransformer2 import TransformerManager


def imported_modules(code: str, package: str, within: str | None = None) -> set[str]:
    """Dotted names of the modules of ``package`` that ``code`` imports.

    ``code`` may be a notebook cell (magics and shell escapes are translated as
    IPython would); ``within`` is the package that holds ``code``, for relative imports.
    ``from package import name`` counts ``package.name``: whether that is a module is
    decided by the files that exist (see :func:`closure`).
    """
    tree = ast.parse(TransformerManager().transform_cell(code))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = (within or "").split(".")
                anchor = parts[: len(parts) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if name == package or name.startswith(f"{package}.")}


def module_files(package: str) -> dict[str, Path]:
    """Every module of ``package`` (as importing it would find it) mapped to its file."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ValueError(f"package: {package!r} is not an importable package")
    root = Path(next(iter(spec.submodule_search_locations)))
    files = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        files[".".join(parts)] = path
    return files


def closure(code: str, package: str, files: dict[str, Path]) -> dict[str, Path]:
    """The modules of ``package`` that running ``code`` executes, with their files.

    Importing ``a.b.c`` runs ``a/__init__.py`` and ``a/b/__init__.py`` first, so
    every parent package counts too.
    """
    seen: dict[str, Path] = {}
    pending = [name for name in imported_modules(code, package) if name in files]
    while pending:
        name = pending.pop()
        parts = name.split(".")
        for parent in (".".join(parts[:end]) for end in range(1, len(parts) + 1)):
            if parent in files and parent not in seen:
                seen[parent] = files[parent]
                source = files[parent].read_text(encoding="utf-8")
                is_package = files[parent].name == "__init__.py"
                within = parent if is_package else parent.rpartition(".")[0]
                pending.extend(
                    module
                    for module in imported_modules(source, package, within)
                    if module in files and module not in seen
                )
    return dict(sorted(seen.items()))


def fingerprint(code: str, packages: list[str]) -> dict[str, str]:
    """``{module: sha256 of its file}`` for every tracked module that ``code`` runs."""
    digests = {}
    for package in packages:
        for name, path in closure(code, package, module_files(package)).items():
            digests[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests
