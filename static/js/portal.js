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
  // Forms of the application steps: those with data-autosave save in the background a
  // moment after the person stops typing, and once more when the tab is hidden or closed
  // (sendBeacon survives the closing tab). Until the last input is saved, leaving the page
  // asks first, so the seconds between typing and saving are covered too.
  const AUTOSAVE_DELAY_MS = 1500;
  document.querySelectorAll("form[data-warn-unsaved]").forEach((form) => {
    let edits = 0;
    let savedEdits = 0;
    let timer = null;
    const url = form.dataset.autosave;
    const status = form.querySelector("[data-autosave-status]");
    const dirty = () => edits !== savedEdits;
    const show = (message) => {
      if (status && message) {
        status.textContent = message;
      }
    };
    const save = () => {
      timer = null;
      const sent = edits;
      fetch(url, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: {"X-Requested-With": "fetch"},
      })
        .then((response) => response.json())
        .then((result) => {
          if (result.saved) {
            savedEdits = Math.max(savedEdits, sent);
          }
          show(result.message);
        })
        .catch(() => show(form.dataset.autosaveFailed));
    };
    form.addEventListener("input", () => {
      edits += 1;
      if (url) {
        clearTimeout(timer);
        timer = setTimeout(save, AUTOSAVE_DELAY_MS);
      }
    });
    form.addEventListener("submit", () => {
      clearTimeout(timer);
      savedEdits = edits;
    });
    if (url) {
      const saveNow = () => {
        if (dirty() && navigator.sendBeacon) {
          clearTimeout(timer);
          navigator.sendBeacon(url, new FormData(form));
        }
      };
      window.addEventListener("pagehide", saveNow);
      document.addEventListener("visibilitychange", () => {
        if (document.visibilityState === "hidden") {
          saveNow();
        }
      });
    }
    window.addEventListener("beforeunload", (event) => {
      if (dirty()) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  });
});
