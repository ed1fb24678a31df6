"""Sphinx configuration for the dlguide book (sources in ``docs/``).

Build it from the repository root with::

    python -m sphinx -b html -c . docs _build/html -j auto
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).parent.resolve()
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "_ext"))

project = "dlguide"
author = "The dlguide authors"
copyright = "2026, The dlguide authors"
version = "0.1"
release = "0.1.0"

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

# Copy buttons copy code without ">>> ", "... " or "$ " prompts.
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = True

# --- LaTeX/PDF -------------------------------------------------------------------
# XeLaTeX with DejaVu fonts, which cover what the pages print: Greek letters in
# outputs, the box-drawing characters of Keras' model summaries, arrows, ‖, √.
# The execution-statistics table marks pages with emoji, which no text font has;
# they become the check and cross marks of DejaVu Sans.
latex_engine = "xelatex"
latex_use_xindy = False  # makeindex ships with TeX Live; xindy is another package
latex_elements = {
    "fontpkg": r"""
\setmainfont{DejaVu Serif}
\setsansfont{DejaVu Sans}
\setmonofont{DejaVu Sans Mono}[Scale=0.85]
""",
    "preamble": r"""
\usepackage{newunicodechar}
\newunicodechar{✅}{{\sffamily ✓}}
\newunicodechar{❌}{{\sffamily ✗}}
""",
}
