"""The ``listing`` directive: ``dlguide`` code as a page shows it, the idea without the plumbing.

```{listing} dlguide.attention.scaled_dot_product_attention
```

shows a function, class or method (``module.Class.method``) from the package's source
(decorators, signature and body, dedented to column 0) without its docstring, nor
those of a class's methods, nor the argument checks that open each body: the API
reference has both. The checks are the run of statements right after the docstring
(and after a ``super().__init__(...)``) that only guard the arguments: an ``if``
whose branches only raise, an ``assert``, or a call to a check helper (imported from
``dlguide._validation``, or the module's own ``_check...``) whose result, if kept,
only rebinds arguments. One comment line marks where checks were left out.
Functions nested in a body are shown as written.

Several paths make one listing. The caption links each to its API entry (or the
enclosing class's, for a method); ``:caption:`` replaces it with plain text.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

ELIDED_CHECKS = "# (argument checks omitted; see the API reference)"
VALIDATION_MODULES = {(0, "dlguide._validation"), (1, "_validation")}  # (level, module)


def check_helpers(tree: ast.Module) -> set[str]:
    """Names of the module's check helpers.

    Those it imports from ``dlguide._validation``, and its own functions named ``_check...``.
    """
    imported = {
        alias.asname or alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and (node.level, node.module) in VALIDATION_MODULES
        for alias in node.names
    }
    own = {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("_check")
    }
    return imported | own


def parameters(function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """The names of ``function``'s parameters."""
    args = function.args
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    return {arg.arg for arg in every if arg is not None}


def assigned_names(targets: list[ast.expr]) -> set[str] | None:
    """The names an assignment binds, or None if it assigns anything but plain names."""
    names: set[str] = set()
    for target in targets:
        elements = target.elts if isinstance(target, ast.Tuple | ast.List) else [target]
        if not all(isinstance(element, ast.Name) for element in elements):
            return None
        names |= {element.id for element in elements}
    return names


def only_raises(body: list[ast.stmt]) -> bool:
    """Whether every statement raises, directly or in an ``if`` whose branches only raise."""
    return all(
        isinstance(s, ast.Raise)
        or (isinstance(s, ast.If) and only_raises(s.body) and only_raises(s.orelse))
        for s in body
    )


def is_check(statement: ast.stmt, helpers: set[str], arguments: set[str]) -> bool:
    """Whether ``statement`` only guards the ``arguments`` (see the module docstring).

    A helper's result may only rebind arguments: ``x = as_array(x)`` is a check,
    ``widths = check_widths(sizes)`` defines a name the body reads.
    """
    if isinstance(statement, ast.If):
        return only_raises([statement])
    if isinstance(statement, ast.Assert):
        return True
    if isinstance(statement, ast.Expr):
        names: set[str] | None = set()
    elif isinstance(statement, ast.Assign):
        names = assigned_names(statement.targets)
    elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
        names = assigned_names([statement.target])
    else:
        return False
    value = statement.value
    calls = value.elts if isinstance(value, ast.Tuple) else [value]  # x, y = check(x), check(y)
    return (
        names is not None
        and names <= arguments
        and bool(calls)
        and all(
            isinstance(c, ast.Call) and isinstance(c.func, ast.Name) and c.func.id in helpers
            for c in calls
        )
    )


def has_docstring(body: list[ast.stmt]) -> bool:
    """Whether ``body`` starts with a string literal."""
    first = body[0]
    return isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant | ast.JoinedStr)


def calls_super_init(statement: ast.stmt) -> bool:
    """Whether ``statement`` is ``super().__init__(...)``, which checks may follow."""
    call = statement.value if isinstance(statement, ast.Expr) else None
    return (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == "__init__"
        and isinstance(call.func.value, ast.Call)
        and isinstance(call.func.value.func, ast.Name)
        and call.func.value.func.id == "super"
    )


Definition = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef


def edits(node: Definition, helpers: set[str]) -> list[tuple[int, int, str | None]]:
    """``(first, last, replacement)`` line ranges (1-based) to cut from ``node``'s source.

    Applies to ``node`` and, for a class, to the methods and classes in its body;
    functions nested in a function body are left as written.
    """
    body, cuts = node.body, []
    if has_docstring(body):
        stub = None if body[1:] else " " * body[0].col_offset + "..."  # keep the body valid
        cuts.append((body[0].lineno, body[0].end_lineno, stub))
        body = body[1:]
    if not isinstance(node, ast.ClassDef):
        body = body[1:] if body[1:] and calls_super_init(body[0]) else body
        checks, arguments = 0, parameters(node)
        while checks < len(body) - 1 and is_check(body[checks], helpers, arguments):
            checks += 1
        if checks:
            comment = " " * body[0].col_offset + ELIDED_CHECKS
            cuts.append((body[0].lineno, body[checks - 1].end_lineno, comment))
        return cuts
    for child in body:
        if isinstance(child, Definition):
            cuts += edits(child, helpers)
    return cuts


def find(tree: ast.Module, qualname: str) -> Definition:
    """The function or class ``qualname`` (``name``, ``Class.method``...) defined in ``tree``."""
    scope: ast.Module | Definition = tree
    for name in qualname.split("."):
        found = [n for n in scope.body if isinstance(n, Definition) and n.name == name]
        if not found:
            raise LookupError(f"no function or class {qualname!r} in the module")
        scope = found[-1]  # the definition that wins, as when Python runs the module
    return scope


def extract(source: str, qualname: str) -> str:
    """``qualname``'s source without docstrings and leading argument checks, dedented."""
    tree = ast.parse(source)
    node = find(tree, qualname)
    lines = source.splitlines()
    first = node.decorator_list[0].lineno if node.decorator_list else node.lineno
    kept: list[str] = []
    cuts = {start: (end, comment) for start, end, comment in edits(node, check_helpers(tree))}
    number = first
    while number <= node.end_lineno:
        if number not in cuts:
            kept.append(lines[number - 1])
            number += 1
            continue
        end, comment = cuts[number]
        number = end + 1
        if comment is not None:
            kept.append(comment)
        if ELIDED_CHECKS not in (comment or ""):  # a docstring: the blank lines after it too
            while number <= node.end_lineno and not lines[number - 1].strip():
                number += 1
    indent = " " * node.col_offset
    return "\n".join(line.removeprefix(indent) for line in kept)


def module_file(root: Path, dotted: str) -> tuple[Path, str, str]:
    """The file under ``root`` that defines ``dotted``, the module's name and the qualname."""
    parts = dotted.split(".")
    for split in range(len(parts) - 1, 0, -1):
        path = root.joinpath(*parts[:split]).with_suffix(".py")
        if path.is_file():
            return path, ".".join(parts[:split]), ".".join(parts[split:])
    raise LookupError(f"no module under {root} defines {dotted!r}")


def api_target(module: str, qualname: str) -> str:
    """The API-reference entry to link: the top-level object if public, else the module."""
    top = qualname.split(".")[0]
    return module if top.startswith("_") else f"{module}.{top}"


def api_link(target: str, text: str) -> addnodes.pending_xref:
    """A link to ``target``'s API entry, shown as ``text`` in code font."""
    link = addnodes.pending_xref(
        "", refdomain="py", reftype="obj", reftarget=target, refexplicit=True, refwarn=True
    )
    link += nodes.literal(text=text, classes=["xref", "py", "py-obj"])
    return link


class Listing(SphinxDirective):
    """``{listing} dlguide.module.name [more paths]``: the objects' code, one block."""

    required_arguments = 1
    optional_arguments = 10
    option_spec: ClassVar = {"caption": directives.unchanged_required}

    def run(self) -> list[nodes.Node]:
        """A code block captioned with links to the objects' API entries (or ``:caption:``)."""
        root = Path(self.config.package_listing_root)
        sources, caption = [], nodes.caption("", "")
        for position, dotted in enumerate(self.arguments):
            try:
                path, module, qualname = module_file(root, dotted)
                sources.append(extract(path.read_text(encoding="utf-8"), qualname))
            except (LookupError, SyntaxError) as error:
                return [self.state.document.reporter.warning(str(error), line=self.lineno)]
            self.env.note_dependency(path)
            caption += [nodes.Text(", ")] if position else []
            caption += api_link(api_target(module, qualname), dotted)
        if "caption" in self.options:
            caption = nodes.caption("", self.options["caption"])
        text = "\n\n\n".join(sources)
        block = nodes.literal_block(text, text, language="python")
        self.set_source_info(block)
        self.set_source_info(caption)
        wrapper = ["literal-block-wrapper"]  # the node Sphinx makes for a captioned code-block
        return [nodes.container("", caption, block, literal_block=True, classes=wrapper)]


def setup(app: Sphinx) -> dict[str, object]:
    """Register the directive and ``package_listing_root``, the folder with the package."""
    app.add_config_value("package_listing_root", "src", "env", types=[str])
    app.add_directive("listing", Listing)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
