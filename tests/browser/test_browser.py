"""The built book in a real browser: headless Debian Chromium driven by Playwright.

Every page is loaded once by ``tests/browser/audit.py``, started in the background as
soon as the HTML is built (see ``tests/conftest.py``); the first test checks what it
found, page by page, and the others try the interactive features. Chromium comes from
Debian's packages, installed by ``.ci/provision``; without it the
tests fail, naming that script.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser.audit import launch_chromium, serve, watch
from tests.the_book import ROOT, BuiltBook, all_pages, require_tools

pytestmark = pytest.mark.build
ALL_PAGES = all_pages()
SCREENSHOTS = ROOT / "_build" / "screenshots"


@pytest.fixture(scope="module")
def site(built_book: BuiltBook) -> Iterator[str]:
    """The built HTML served on 127.0.0.1 (a free port), as a browser would fetch it."""
    server, url = serve(built_book.html)
    yield url
    server.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    require_tools("chromium")
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, site: str) -> Iterator[Page]:
    """A fresh tab that records console errors, failed requests and off-machine requests."""
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    tab = context.new_page()
    tab.problems = watch(tab)
    yield tab
    context.close()


def visit(page: Page, site: str, docname: str) -> None:
    page.goto(f"{site}/{docname}.html", wait_until="networkidle")


@pytest.mark.parametrize("docname", ALL_PAGES)
def test_page_loads_cleanly_with_its_figures_and_no_serious_accessibility_violations(
    browser_audit: Path, docname: str
):
    """What tests/browser/audit.py found when it loaded the page (in the background)."""
    found = json.loads((browser_audit / f"{docname}.json").read_text())
    assert found["problems"] == []
    for src, loaded, alt in found["images"]:
        assert loaded, f"{src} did not load"
        assert alt.strip(), f"{src} has no alt text"
    assert found["serious_violations"] == []


def test_math_is_rendered_by_mathjax(page: Page, site: str):
    visit(page, site, "foundations/activation-functions")
    page.wait_for_selector("mjx-container", timeout=20000)
    assert page.locator("mjx-container").count() > 5
    assert page.problems == []


def test_search_finds_a_term_from_one_page(page: Page, site: str):
    page.goto(f"{site}/search.html?q=saturation", wait_until="networkidle")
    page.wait_for_selector("#search-results li", timeout=20000)
    results = page.eval_on_selector_all("#search-results li a", "links => links.map(a => a.href)")
    assert any("foundations/activation-functions.html" in href for href in results), results


def test_copy_button_copies_code_without_prompts(page: Page, site: str):
    visit(page, site, "tensorflow/installing-tensorflow")
    block = page.locator("div.highlight-python", has_text=">>> import tensorflow as tf").first
    block.hover()
    block.locator("button.copybtn").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.splitlines()[:2] == [
        "import tensorflow as tf",
        "x = tf.constant([[1.0, 2.0], [3.0, 4.0]])",
    ]
    assert ">>>" not in copied and "TensorShape" not in copied


def test_theme_switch_changes_between_light_and_dark(page: Page, site: str):
    visit(page, site, "index")
    themes = []
    for mode in ["dark", "light", "dark"]:
        page.locator("button.theme-switch-button").first.click()
        page.locator(f".theme-change-button[data-mode={mode}]").first.click()
        themes.append(page.evaluate("document.documentElement.dataset.theme"))
    assert themes == ["dark", "light", "dark"]
    assert page.evaluate("localStorage.getItem('mode')") == "dark"


def test_sidebar_reaches_every_part(page: Page, site: str):
    visit(page, site, "index")
    links = page.eval_on_selector_all("nav.bd-docs-nav a", "links => links.map(a => a.href)")
    parts = sorted(p.parent.name for p in (ROOT / "docs").glob("*/index.md"))
    for part in parts:
        assert any(f"/{part}/index.html" in href for href in links), part
        visit(page, site, f"{part}/index")
        assert page.problems == []


@pytest.mark.parametrize("docname", ["index", "foundations/activation-functions"])
def test_screenshot_for_the_record(page: Page, site: str, docname: str):
    visit(page, site, docname)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{docname.replace('/', '-')}.png"
    page.screenshot(path=path, full_page=False)
    shot = Image.open(path)
    assert shot.size == (page.viewport_size["width"], page.viewport_size["height"])
    # A drawn page has text, links and a sidebar in many shades, not a blank canvas.
    assert len(shot.convert("RGB").getcolors(maxcolors=1 << 24)) > 100
