// Applicant portal: small helpers that the pages work without.
document.addEventListener("DOMContentLoaded", () => {
  // After a failed submit, move focus to the error summary so it is read out first.
  const summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
  // Buttons that end something for good ask once more.
  document.querySelectorAll("[data-confirm]").forEach((element) => {
    element.addEventListener("click", (event) => {
      if (!window.confirm(element.dataset.confirm)) {
        event.preventDefault();
      }
    });
  });
  // Forms of the application steps save only when sent: before a tab with typed but unsent
  // input is closed or left, the browser asks, so no work is lost unnoticed.
  document.querySelectorAll("form[data-warn-unsaved]").forEach((form) => {
    let dirty = false;
    form.addEventListener("input", () => {
      dirty = true;
    });
    form.addEventListener("submit", () => {
      dirty = false;
    });
    window.addEventListener("beforeunload", (event) => {
      if (dirty) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  });
});
