"""Sphinx configuration for the dlguide book (sources in ``docs/``).

Build it from the repository root with::

    python -m sphinx -b html -c . docs _build/html -j auto
"""

import importlib
import os
import sys
from pathlib import Path

ROOT = Path(__file__).parent.resolve()
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "_ext"))

project = "dlguide"
author = "The dlguide authors"
copyright = "2026, The dlguide authors"
release = importlib.import_module("dlguide").__version__  # src/dlguide, the one place
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
    "sphinx_copybutton",
    "sphinx_design",
    "sphinx_exercise",
    "sphinxcontrib.bibtex",
    "offline_mathjax",  # _ext/offline_mathjax.py: math renders without the network
    "page_execution",  # _ext/page_execution.py: executes stale pages before reading
    "executed_pages",  # _ext/executed_pages.py: run time in headers, notebook downloads
    "package_links",  # _ext/package_links.py: headers link the dlguide code a page uses
    "package_listing",  # _ext/package_listing.py: {listing} shows code without docstrings
]
package_listing_root = str(ROOT / "src")

exclude_patterns = ["_build", "**.ipynb_checkpoints", "**/README.md"]
nitpicky = True
# Chapters are numbered within their part (1.2 is part 1, chapter 2), and figures and
# exercises within their chapter (Exercise 1.2.3 is the third exercise of chapter 1.2).
numfig = True
numfig_secnum_depth = 2
# The build is offline, so there is no intersphinx inventory for other projects;
# references to their classes in type hints stay plain text instead of warnings.
nitpick_ignore_regex = [
    (r"py:.*", r"(numpy|numpy\.typing|matplotlib|keras|tensorflow|torch|collections\.abc)\..*"),
]
# dlguide.side_by_side_torch needs PyTorch, which the build does not install: autodoc
# documents it with a stand-in for torch.
autodoc_mock_imports = ["torch"]

# --- MyST and MyST-NB ---------------------------------------------------------
myst_enable_extensions = ["colon_fence", "dollarmath", "amsmath", "deflist"]
myst_heading_anchors = 3

# "cache" re-executes only pages whose code changed (jupyter-cache); CI passes
# -D nb_execution_mode=force to execute every page from scratch.
nb_execution_mode = "cache"
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_execution_timeout = 120  # seconds per cell
nb_merge_streams = True
# Executing pages (_ext/page_execution.py). A page re-runs when its code or a module of
# these packages that its imports run changes. Kernels start warm, forked from a process
# that imported these modules; DLGUIDE_KERNELS=ordinary (or -D execution_kernels=ordinary)
# starts each kernel the ordinary way. Workers: 0 means one per core, whatever -j says.
execution_packages = ["dlguide"]
execution_kernels = os.environ.get("DLGUIDE_KERNELS", "warm")
execution_workers = 0
execution_warm_modules = ["numpy", "tensorflow", "keras", "matplotlib.pyplot", "sklearn"]
# Imported in the build's own process (for autodoc) with TensorFlow's C++ start-up lines
# sent to _build/kernel-logs/sphinx.log instead of the console.
execution_quiet_imports = ["tensorflow"]

# --- Bibliography: one BibTeX file, cited with {cite:p}`key` ------------------
bibtex_bibfiles = ["docs/references.bib"]  # relative to this file
bibtex_default_style = "plain"
bibtex_reference_style = "author_year"

# --- HTML ---------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = "dlguide: deep learning, TensorFlow and Transformers"
html_theme_options = {
    "show_toc_level": 2,
    "use_download_button": True,
    "home_page_in_toc": True,
}
# Start in the reader's system colour scheme (an unset mode makes the theme log an error).
html_context = {"default_mode": "auto"}
html_static_path = ["_static"]
# Download-menu links save the file (.ipynb, .md) instead of showing it as text.
html_js_files = ["download-links.js", "accessible-navigation.js"]
html_css_files = ["accessible-colors.css"]  # colours with enough contrast (axe)

# Copy buttons copy code without ">>> ", "... " or "$ " prompts.
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = True

# --- LaTeX/PDF -------------------------------------------------------------------
# The PDF is laid out as a book (LaTeX's book class): title page, contents and the home
# page as unnumbered front matter; Parts 1-3 with their chapters numbered as in the HTML
# (chapter 1.2 is part 1's second page); the reference pages as back matter.
# _ext/latex_book.py moves the home page's toctrees out of its last section to do so.
extensions += ["latex_book"]  # _ext/latex_book.py, kept here beside the LaTeX settings
latex_documents = [
    ("index", "dlguide.tex", html_title, author, "manual"),
]
latex_docclass = {"manual": "book"}
latex_toplevel_sectioning = "part"
# XeLaTeX with DejaVu fonts, which cover what the pages print: Greek letters in
# outputs, the box-drawing characters of Keras' model summaries, arrows, ‖, √.
# The execution-statistics table marks pages with emoji, which no text font has;
# they become the check and cross marks of DejaVu Sans.
latex_engine = "xelatex"
latex_use_xindy = False  # makeindex ships with TeX Live; xindy is another package
latex_domain_indices = False  # the API reference chapter already lists the modules
latex_elements = {
    "papersize": "a4paper",
    "extraclassoptions": "openany",  # chapters start on the next page, left or right
    "releasename": "Version",
    # Bookmarks carry the numbers of parts and chapters, as the contents do.
    "passoptionstopackages": r"\PassOptionsToPackage{bookmarksnumbered}{hyperref}",
    "fontpkg": r"""
\setmainfont{DejaVu Serif}
\setsansfont{DejaVu Sans}
\setmonofont{DejaVu Sans Mono}[Scale=0.85]
""",
    # Parts are numbered 1, 2, 3 and chapters within their part (1.1, 1.2, ...), as in
    # the HTML; sections are not numbered, as in the HTML.
    "secnumdepth": r"\setcounter{secnumdepth}{0}",
    "preamble": r"""
\usepackage{newunicodechar}
\newunicodechar{✅}{{\sffamily ✓}}
\newunicodechar{❌}{{\sffamily ✗}}
\renewcommand{\thepart}{\arabic{part}}
\counterwithin{chapter}{part}
% The list of references sits in the Bibliography chapter (latex_book puts it there),
% so it needs no chapter heading of its own.
\renewenvironment{sphinxthebibliography}[1]%
  {\def\chapter*##1{}\begin{thebibliography}{#1}}{\end{thebibliography}}
% Room for two-digit chapter numbers (2.10) before the titles in the contents.
\makeatletter
\patchcmd{\l@chapter}{1.5em}{2.5em}{}{\PackageWarning{conf.py}{l@chapter not patched}}
\makeatother
% Running header: the current chapter on the left, the page number on the right.
\makeatletter
\fancypagestyle{normal}{%
  \fancyhf{}%
  \fancyhead[L]{{\py@HeaderFamily\nouppercase{\leftmark}}}%
  \fancyhead[R]{{\py@HeaderFamily\thepage}}%
  \renewcommand{\headrulewidth}{0.4pt}%
  \renewcommand{\footrulewidth}{0pt}%
}
\makeatother
""",
    # The contents and the home page are front matter, their pages numbered in roman;
    # \mainmatter (added before Part 1 by latex_book) numbers from 1 again. The title
    # page's back stays blank, without a page number.
    "maketitle": r"""
\sphinxmaketitle
\frontmatter
""",
    "tableofcontents": r"""
\renewcommand{\contentsname}{Contents}
\begingroup\parskip 0pt\sphinxtableofcontentshook\tableofcontents\endgroup
""",
    # Code lines too long for the page wrap at any character, marked at the break.
    "sphinxsetup": "verbatimforcewraps, verbatimmaxoverfull=0",
}
