// Case work and finance: small helpers that the pages work without.
document.addEventListener("DOMContentLoaded", () => {
  // After a failed submit, move focus to the error summary so it is read out first.
  const summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }

  // A step that takes a few seconds (a decision books the budget and makes the notice) says
  // so while it runs, and cannot be sent twice.
  document.querySelectorAll("form[data-busy]").forEach((form) => {
    form.addEventListener("submit", () => {
      const status = statusFor(form);
      form.setAttribute("aria-busy", "true");
      form.querySelectorAll("button[type=submit]").forEach((button) => {
        button.setAttribute("aria-disabled", "true");
        button.classList.add("fp-busy");
      });
      if (status) {
        status.textContent = form.dataset.busy;
      }
      // Later clicks do nothing; the first submit is on its way.
      form.addEventListener("submit", (event) => event.preventDefault());
    });
  });

  // Exports: the file is fetched in the background, the page says when it is ready, and the
  // browser saves it. Anything but a file (a background run, a refusal) is shown as a page.
  document.querySelectorAll("form[data-download]").forEach((form) => {
    form.addEventListener("submit", async (event) => {
      if (!window.fetch || !window.URL || !window.URL.createObjectURL) {
        return;
      }
      event.preventDefault();
      const status = statusFor(form);
      const buttons = form.querySelectorAll("button[type=submit]");
      const url = new URL(form.action, window.location.href);
      url.search = new URLSearchParams(new FormData(form)).toString();
      form.setAttribute("aria-busy", "true");
      buttons.forEach((button) => button.setAttribute("aria-disabled", "true"));
      if (status) {
        status.textContent = form.dataset.busy;
      }
      try {
        const response = await fetch(url, { credentials: "same-origin" });
        const disposition = response.headers.get("Content-Disposition") || "";
        if (!response.ok || !disposition.startsWith("attachment")) {
          window.location.assign(response.url);
          return;
        }
        const blob = await response.blob();
        const link = document.createElement("a");
        link.href = window.URL.createObjectURL(blob);
        link.download = filename(disposition);
        document.body.append(link);
        link.click();
        link.remove();
        if (status) {
          status.textContent = form.dataset.ready;
        }
      } catch (error) {
        if (status) {
          status.textContent = form.dataset.failed;
        }
      } finally {
        form.removeAttribute("aria-busy");
        buttons.forEach((button) => button.removeAttribute("aria-disabled"));
      }
    });
  });

  // A background export: once the polled status says the file is ready, it is saved once.
  document.body.addEventListener("htmx:afterSwap", (event) => {
    const ready = event.target.querySelector("[data-download-ready]");
    if (ready && !ready.dataset.started) {
      ready.dataset.started = "true";
      window.location.assign(ready.href);
    }
  });
});

// The live region that speaks for a form: its own, or the one of its section.
function statusFor(form) {
  const own = form.querySelector("[data-busy-status]");
  const section = form.closest("section");
  return own || (section && section.querySelector("[data-busy-status]"));
}

function filename(disposition) {
  const encoded = disposition.match(/filename\*=UTF-8''([^;]+)/i);
  if (encoded) {
    return decodeURIComponent(encoded[1]);
  }
  const plain = disposition.match(/filename="?([^";]+)"?/i);
  return plain ? plain[1] : "export";
}
