"""The ``{listing}`` directive shows signature and body: no docstrings, no argument checks."""

from __future__ import annotations

import ast
import re
import textwrap
from pathlib import Path

import pytest

# The extension needs Sphinx, which the oldest-versions run (`pytest -m "not build"`
# without the docs extra) lacks.
pytest.importorskip("sphinx")
from package_listing import ELIDED_CHECKS, extract, module_file

ROOT = Path(__file__).resolve().parents[2]
LISTING = re.compile(r"^```\{listing\} (.+)$", re.MULTILINE)


def listed(source: str, qualname: str) -> str:
    return extract(textwrap.dedent(source), qualname)


def test_docstring_is_removed_with_the_blank_lines_after_it():
    source = '''
        def area(width, height):
            """Width times height.

            More words.
            """

            return width * height  # the whole idea
        '''
    assert listed(source, "area") == (
        "def area(width, height):\n    return width * height  # the whole idea"
    )


@pytest.mark.parametrize(
    "check",
    [
        'if width < 0:\n        raise ValueError("width must be >= 0")',
        'if width < 0:\n        raise ValueError("w")\n'
        '    elif height < 0:\n        raise ValueError("h")',
        'assert width >= 0, "width must be >= 0"',
        'check_positive(width, "width")',
        'width = check_positive(width, "width")',
        "width, height = check_pair(width, height)",
        'width, height = check_positive(width, "width"), check_positive(height, "height")',
        'width: float = check_positive(width, "width")',
        "_check_sizes(width, height)",
    ],
)
def test_each_kind_of_leading_check_becomes_one_comment_line(check: str):
    source = '''
        from dlguide._validation import check_pair, check_positive

        def _check_sizes(width, height):
            pass

        def area(width, height):
            """Width times height."""
            CHECK
            return width * height
        '''
    assert extract(textwrap.dedent(source).replace("CHECK", check), "area") == (
        f"def area(width, height):\n    {ELIDED_CHECKS}\n    return width * height"
    )


def test_a_run_of_checks_is_one_comment_and_later_comments_and_blank_lines_stay():
    source = '''
        from ._validation import check_positive as positive

        def area(width, height):
            """Width times height."""
            positive(width, "width")
            if height < 0:
                raise ValueError("height must be >= 0")
            assert isinstance(width, float)

            # the idea
            return width * height
        '''
    assert listed(source, "area") == (
        f"def area(width, height):\n    {ELIDED_CHECKS}\n\n    # the idea\n"
        "    return width * height"
    )


@pytest.mark.parametrize(
    "first",
    [
        "total = width * height",  # real code
        "return check_positive(width)",  # returns: the body's idea, not a check
        "width += check_positive(height)",
        "width = np.asarray(width)",  # a call, but not to a check helper
        'size = check_positive(width, "width")',  # binds a new name the body reads
        'width, height = check_positive(width, "width"), abs(height)',  # not only checks
        'self.width = check_positive(width, "width")',  # sets an attribute the body reads
        'if width < 0:\n        raise ValueError("w")\n    else:\n        width = 0',  # else: code
    ],
)
def test_nothing_is_elided_and_no_comment_added_when_the_body_starts_with_code(first: str):
    source = textwrap.dedent(
        """
        from dlguide._validation import check_positive

        def area(self, width, height):
            FIRST
            assert height >= 0
            return width * height
        """
    ).replace("FIRST", first)
    assert extract(source, "area") == source.split("\n", 3)[3].rstrip("\n")


def test_checks_right_after_super_init_are_elided():
    source = """
        class Layer(Base):
            def __init__(self, width, **kwargs):
                super().__init__(**kwargs)
                if width < 0:
                    raise ValueError("width must be >= 0")
                self.width = width
        """
    assert listed(source, "Layer.__init__") == (
        "def __init__(self, width, **kwargs):\n    super().__init__(**kwargs)\n"
        f"    {ELIDED_CHECKS}\n    self.width = width"
    )


def test_a_check_after_real_code_is_kept():
    source = """
        def area(width, height):
            total = width * height
            if total < 0:
                raise ValueError("negative area")
            return total
        """
    assert listed(source, "area") == textwrap.dedent(source).strip()


def test_a_body_of_checks_only_keeps_its_last_statement():
    source = """
        def check(width):
            assert width > 0
            if width > 10:
                raise ValueError("too wide")
        """
    assert listed(source, "check") == (
        f"def check(width):\n    {ELIDED_CHECKS}\n    if width > 10:\n"
        '        raise ValueError("too wide")'
    )


def test_class_loses_its_docstring_and_those_of_its_methods_and_nested_classes():
    source = '''
        class Layer(Base):
            """A layer."""

            size = 3

            @property
            def width(self):
                """Its width."""
                assert self.size > 0
                return self.size

            class Config:
                """Settings."""
'''
    assert listed(source, "Layer") == textwrap.dedent(
        f"""\
        class Layer(Base):
            size = 3

            @property
            def width(self):
                {ELIDED_CHECKS}
                return self.size

            class Config:
                ..."""
    )


def test_method_is_dedented_to_column_zero_with_its_decorators():
    source = '''
        class Layer:
            @staticmethod
            @cache
            def width(
                size: int,
            ) -> int:
                """Its width."""
                return size
        '''
    assert listed(source, "Layer.width") == (
        "@staticmethod\n@cache\ndef width(\n    size: int,\n) -> int:\n    return size"
    )


def test_nested_functions_are_shown_as_written():
    source = '''
        def make_step(model):
            """A step."""
            assert model is not None

            @tf.function
            def step(x):
                """One step."""
                assert x is not None
                return model(x)

            return step
        '''
    assert listed(source, "make_step") == textwrap.dedent(
        f'''\
        def make_step(model):
            {ELIDED_CHECKS}

            @tf.function
            def step(x):
                """One step."""
                assert x is not None
                return model(x)

            return step'''
    )


def test_unknown_object_raises_lookup_error():
    with pytest.raises(LookupError, match=r"no function or class 'Layer\.depth'"):
        listed("class Layer:\n    def width(self):\n        return 1\n", "Layer.depth")


def listings_on_pages() -> list[str]:
    """Every dotted path a page shows with ``{listing}``."""
    paths = []
    for page in sorted((ROOT / "docs").rglob("*.md")):
        for arguments in LISTING.findall(page.read_text(encoding="utf-8")):
            paths += [path for path in arguments.split() if path not in paths]
    return paths


def test_pages_use_listings():
    assert len(listings_on_pages()) >= 30


def definitions(node: ast.stmt) -> list[ast.stmt]:
    """``node`` and, for a class, the functions and classes it defines, at any depth."""
    if not isinstance(node, ast.ClassDef):
        return [node]
    inner = [child for child in node.body if isinstance(child, ast.FunctionDef | ast.ClassDef)]
    return [node, *(d for child in inner for d in definitions(child))]


def first_line(node: ast.stmt) -> int:
    """The line where ``node`` starts, decorators included."""
    return min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])


def header(source: str, node: ast.stmt) -> list[str]:
    """The decorator and signature lines of ``node`` (up to its first statement), dedented."""
    lines = source.splitlines()[first_line(node) - 1 : first_line(node.body[0]) - 1]
    while lines[-1].strip() == "" or lines[-1].strip().startswith("#"):
        lines.pop()
    return [line.removeprefix(" " * node.col_offset) for line in lines]


@pytest.mark.parametrize("dotted", listings_on_pages())
def test_listing_of_the_package_compiles_keeps_its_signature_and_has_no_docstring(dotted: str):
    path, _, qualname = module_file(ROOT / "src", dotted)
    source = path.read_text(encoding="utf-8")
    shown = extract(source, qualname)
    original = ast.parse(source)
    for name in qualname.split("."):
        original = next(n for n in reversed(original.body) if getattr(n, "name", None) == name)
    (node,) = ast.parse(shown).body
    assert [ast.get_docstring(d) for d in definitions(node)] == [None] * len(definitions(node))
    assert header(shown, node) == header(source, original)
    indent = " " * original.col_offset
    source_lines = source.splitlines()
    for line in shown.splitlines():  # every other line is the source's, as written
        assert line.strip() == ELIDED_CHECKS or (indent + line if line else "") in source_lines
