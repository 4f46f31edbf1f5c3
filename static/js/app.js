// Progressive enhancement only: every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // A form sent back with errors: read its error summary first.
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();

  // Ask before destructive actions marked with data-confirm.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});

// The sign-in form sends the browser's time zone; the server keeps it only for someone who
// has never chosen one in settings. Without JavaScript the field stays empty (UTC).
document.addEventListener("DOMContentLoaded", () => {
  const field = document.querySelector('input[type="hidden"][name="time_zone"]');
  if (!field) return;
  try {
    field.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    // A browser without Intl time zones: leave it empty.
  }
});
