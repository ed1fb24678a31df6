"""Visit every page of a built book in headless Chromium and record what a reader would hit.

Usage: ``python tests/browser/audit.py HTML_FOLDER OUT_FOLDER PAGE...``. The site is
served on 127.0.0.1; each page is loaded once, and ``OUT_FOLDER/PAGE.json`` records the
console errors, failed or off-machine requests, the article's images (loaded? alt text?)
and axe-core's serious and critical accessibility violations.

One tab visits the pages in turn, as a reader following links would: a fresh browser
context per page cost about 2 s of CPU each (a new renderer process), more than loading
the page. Each page still runs its own scripts and requests what the browser has not
cached; a request that fails is made again by every page that needs it, since failures
are not cached.

Axe's colour-contrast rule costs most on code: every highlighted token is a separate
element, and the same few token styles repeat on every page. A token's contrast depends only
on its colour, weight, size and opacity and on the background behind it, so each such
combination is checked once, on the first page where it occurs (pages in the order given);
the other tokens are left out of the audit, which has nothing else to check on them. All
other text is checked on every page.
"""

from __future__ import annotations

import functools
import http.server
import json
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-gpu",
    "--no-first-run",
]
# Marks the first code token of each style not seen on an earlier page; returns the new styles.
MARK_NEW_TOKEN_STYLES = """seen => {
  const backgrounds = new Map();  // element -> the first background colour at or above it
  const background = element => {
    if (!element) return "none";
    if (!backgrounds.has(element)) {
      const color = getComputedStyle(element).backgroundColor;
      const own = color !== "rgba(0, 0, 0, 0)";
      backgrounds.set(element, own ? color : background(element.parentElement));
    }
    return backgrounds.get(element);
  };
  const fresh = [];
  for (const token of document.querySelectorAll(".highlight pre span")) {
    const style = getComputedStyle(token);
    const key = [style.color, style.fontWeight, style.fontSize, style.opacity,
                 background(token)].join(" | ");
    if (!seen.includes(key) && !fresh.includes(key)) {
      fresh.push(key);
      token.setAttribute("data-contrast-sample", "");
    }
  }
  return fresh;
}"""
ALREADY_CHECKED_TOKENS = ".highlight pre span:not([data-contrast-sample])"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(html: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve the folder ``html`` on 127.0.0.1 (a free port), in a thread; return it and its URL."""
    handler = functools.partial(QuietHandler, directory=html)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless, with the flags above."""
    return playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)


def watch(tab: Page) -> list[str]:
    """The list to which ``tab`` will add its console errors and failed requests.

    Requests that leave the machine are refused and added too. Clear the list to start
    afresh, e.g. before loading the next page.
    """
    problems = []
    tab.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    tab.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    tab.on("requestfailed", lambda r: problems.append(f"failed: {r.url} {r.failure}"))
    tab.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status}: {r.url}"))

    def local_only(route):
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            problems.append(f"off-machine request: {route.request.url}")
            route.abort()

    tab.route("**/*", local_only)
    return problems


def audit(tab: Page, problems: list[str], url: str, seen_styles: list[str]) -> dict:
    """Load ``url`` in ``tab``, watched into ``problems``, and return what the page's test checks.

    Problems count while the page loads; axe, run after, preloads the stylesheets itself
    and asks for an ``@import`` at the wrong address (``/basic.css``), which is not the
    page's doing.
    """
    problems.clear()
    tab.goto(url, wait_until="networkidle")
    loading = list(problems)  # axe fetches stylesheets again, some of them wrongly
    images = tab.eval_on_selector_all(
        "article img", "imgs => imgs.map(i => [i.src, i.complete && i.naturalWidth > 0, i.alt])"
    )
    seen_styles += tab.evaluate(MARK_NEW_TOKEN_STYLES, seen_styles)
    results = Axe().run(tab, context={"exclude": [[ALREADY_CHECKED_TOKENS]]})
    serious = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} elements, such as {v['nodes'][0]['target']})"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    return {"problems": loading, "images": images, "serious_violations": serious}


def main(html: Path, out: Path, docnames: list[str]) -> None:
    server, site = serve(html)
    seen_styles: list[str] = []
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        tab = browser.new_page()
        problems = watch(tab)
        for docname in docnames:
            found = audit(tab, problems, f"{site}/{docname}.html", seen_styles)
            path = out / f"{docname}.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(found, indent=1))
            print(f"{docname}: {len(found['serious_violations'])} serious violations")
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:])
