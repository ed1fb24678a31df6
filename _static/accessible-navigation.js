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
