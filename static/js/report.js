// The report's "Print" link prints the page (a plain link to the print view without script).
document.querySelectorAll("[data-print]").forEach((link) => {
  link.addEventListener("click", (event) => {
    event.preventDefault();
    window.print();
  });
});
