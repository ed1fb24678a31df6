// The download menu links to the executed notebook (.ipynb) and the page's source (.md).
// Browsers would show both as text; the download attribute makes them save the file.
document.addEventListener("DOMContentLoaded", () => {
  const links = document.querySelectorAll(
    "a.btn-download-notebook-button, a.btn-download-source-button",
  );
  for (const link of links) {
    link.setAttribute("download", "");
  }
});
