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

// Confirmations: a confirmed dialog adds confirm=yes, so the server acts at once instead of
// showing its no-JavaScript confirmation page (each action is confirmed exactly once).
document.addEventListener("DOMContentLoaded", () => {
  const addConfirmed = (form) => {
    if (form.querySelector("input[name='confirm'][value='yes']")) return;
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = "confirm";
    input.value = "yes";
    form.appendChild(input);
  };
  // Runs after the data-confirm dialog above: a cancelled dialog has prevented the submit.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!event.defaultPrevented) addConfirmed(form);
    });
  });
  // One button of a form (Decline beside Approve) asks on its own.
  document.querySelectorAll("button[data-confirm]").forEach((button) => {
    button.addEventListener("click", (event) => {
      if (window.confirm(button.dataset.confirm)) addConfirmed(button.form);
      else event.preventDefault();
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

// Bulk decisions: "Select all on this page" ticks every row's box, and a row unticked unticks
// it. Without JavaScript the server honours the box itself (it decides every row of the page).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input[type=checkbox][data-select-all]").forEach((all) => {
    const rows = () => document.querySelectorAll(`input[type=checkbox][name=ids][form='${all.dataset.selectAll}']`);
    all.addEventListener("change", () => {
      rows().forEach((box) => { box.checked = all.checked; });
    });
    rows().forEach((box) => {
      box.addEventListener("change", () => {
        const boxes = [...rows()];
        all.checked = boxes.every((row) => row.checked);
        all.indeterminate = !all.checked && boxes.some((row) => row.checked);
      });
    });
  });
});
