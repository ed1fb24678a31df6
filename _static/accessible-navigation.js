// The sidebar's expand/collapse toggles are <summary> elements that hold only an icon;
// give each one a name that screen readers can announce.
document.addEventListener("DOMContentLoaded", () => {
  for (const summary of document.querySelectorAll("nav summary")) {
    if (summary.textContent.trim() || summary.hasAttribute("aria-label")) {
      continue;
    }
    const section = summary.parentElement.parentElement.querySelector(":scope > a");
    const name = section ? section.textContent.trim() : "this section";
    summary.setAttribute("aria-label", `Show or hide the pages of ${name}`);
  }
});

// Docutils marks each entry of a reference list (role "list") with the role
// "doc-biblioentry", which DPUB-ARIA 1.1 deprecates in favour of "listitem"; screen
// readers and axe then see the entries' links as stray children of the list.
document.addEventListener("DOMContentLoaded", () => {
  for (const entry of document.querySelectorAll('[role="list"] > [role="doc-biblioentry"]')) {
    entry.setAttribute("role", "listitem");
  }
});

// A code block wider than the page scrolls sideways; keyboard users can only scroll it
// if it can take the focus, so such blocks join the tab order (and leave it when the
// window grows wide enough to show them whole).
function letWideCodeBlocksTakeFocus() {
  for (const block of document.querySelectorAll("pre")) {
    if (block.scrollWidth > block.clientWidth) {
      block.setAttribute("tabindex", "0");
    } else if (block.getAttribute("tabindex") === "0") {
      block.removeAttribute("tabindex");
    }
  }
}
document.addEventListener("DOMContentLoaded", letWideCodeBlocksTakeFocus);
window.addEventListener("resize", letWideCodeBlocksTakeFocus);
