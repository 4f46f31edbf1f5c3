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

// Freelancer fields (jobs FreelancerChoiceField): without JavaScript a plain text input that the
// server resolves on submit. Here it also searches as you type (the ARIA combobox pattern with
// a listbox) and fills the hidden id of the freelancer chosen; editing the text clears it.
document.addEventListener("DOMContentLoaded", () => {
  const MIN_LENGTH = 3; // as jobs.selectors.NAME_SEARCH_MIN_LENGTH
  const DELAY_MS = 250;

  document.querySelectorAll("[data-freelancer-picker][data-search-url]").forEach((picker) => {
    const input = picker.querySelector('input[type="text"]');
    const hidden = picker.querySelector("input[data-picked-id]");
    if (!input || !hidden) return;
    const listbox = document.createElement("ul");
    listbox.id = `${input.id}-listbox`;
    listbox.className = "picker-listbox";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", "Matching freelancers");
    listbox.hidden = true;
    const status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    picker.append(listbox, status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);

    let options = [];
    let active = -1;
    let timer = null;
    let controller = null;

    const close = () => {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    };
    const open = () => {
      if (!options.length) return;
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
    };
    const setActive = (index) => {
      options.forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
      active = index;
      if (index < 0) {
        input.removeAttribute("aria-activedescendant");
        return;
      }
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    };
    const move = (step) => {
      const usable = options.map((option, i) => (option.getAttribute("aria-disabled") === "true" ? -1 : i))
        .filter((i) => i >= 0);
      if (!usable.length) return;
      const at = usable.indexOf(active);
      const next = at < 0 ? (step > 0 ? 0 : usable.length - 1) : (at + step + usable.length) % usable.length;
      setActive(usable[next]);
    };
    const forgetChoice = () => {
      hidden.value = "";
      picker.querySelectorAll('input[type="radio"]').forEach((radio) => { radio.checked = false; });
    };
    const choose = (option) => {
      forgetChoice();
      hidden.value = option.dataset.id;
      input.value = option.dataset.name;
      close();
      status.textContent = `${option.dataset.name} chosen.`;
    };
    const show = (data) => {
      listbox.replaceChildren();
      options = data.results.map((person, i) => {
        const option = document.createElement("li");
        option.id = `${listbox.id}-${i}`;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.id = person.id;
        option.dataset.name = person.name;
        const name = document.createElement("strong");
        name.textContent = person.name;
        const details = document.createElement("span");
        details.className = "meta";
        details.textContent = [person.title, person.rate, person.unavailable].filter(Boolean).join(" · ");
        option.append(name, " ", details);
        if (person.unavailable) option.setAttribute("aria-disabled", "true");
        listbox.append(option);
        return option;
      });
      active = -1;
      if (options.length) open();
      else close();
      const count = data.results.length;
      status.textContent = count === 0 ? "No freelancer found."
        : `${data.more ? `More than ${count}` : count} freelancer${count === 1 && !data.more ? "" : "s"} found`
          + (data.more ? ": type more of the name to narrow them." : ". Use the up and down arrows to choose.");
    };
    const search = async () => {
      const query = input.value.trim();
      if (controller) controller.abort();
      if (query.length < MIN_LENGTH && !query.includes("@")) {
        options = [];
        listbox.replaceChildren();
        close();
        status.textContent = query ? `Type at least ${MIN_LENGTH} letters.` : "";
        return;
      }
      controller = new AbortController();
      const url = new URL(picker.dataset.searchUrl, window.location.href);
      url.searchParams.set("q", query);
      try {
        const response = await fetch(url, {
          headers: { Accept: "application/json" }, credentials: "same-origin", signal: controller.signal,
        });
        if (!response.ok) return; // the server still resolves the text on submit
        show(await response.json());
      } catch (error) {
        if (error.name !== "AbortError") status.textContent = "";
      }
    };

    input.addEventListener("input", () => {
      forgetChoice();
      clearTimeout(timer);
      timer = setTimeout(search, DELAY_MS);
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (listbox.hidden) open();
        move(event.key === "ArrowDown" ? 1 : -1);
      } else if (event.key === "Enter" && !listbox.hidden && active >= 0) {
        event.preventDefault(); // choose, do not submit the form
        choose(options[active]);
      } else if (event.key === "Escape" && !listbox.hidden) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", () => close());
    listbox.addEventListener("mousedown", (event) => event.preventDefault()); // keep the focus
    listbox.addEventListener("click", (event) => {
      const option = event.target.closest('[role="option"]');
      if (option && option.getAttribute("aria-disabled") !== "true") choose(option);
    });
    picker.querySelectorAll('input[type="radio"]').forEach((radio) => {
      radio.addEventListener("change", () => { hidden.value = ""; });
    });
  });
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
