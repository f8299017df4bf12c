// Marks the page as scripted, so that buttons needed only without JavaScript
// (htmx submits those forms on change) can be hidden by the stylesheet.
document.documentElement.classList.add("js");

// "Copy link" buttons (data-copy names the field): hidden without a script,
// where the read-only field is there to select; the status beside the button
// says it worked, and a screen reader hears it (role="status").
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("button[data-copy]")) {
    button.hidden = false;
    button.addEventListener("click", async () => {
      const field = document.getElementById(button.dataset.copy);
      const status = document.querySelector(`[data-copy-status="${button.dataset.copy}"]`);
      try {
        await navigator.clipboard.writeText(field.value);
      } catch {
        // No clipboard (an insecure origin, a refused permission): select it for the person to copy.
        field.focus();
        field.select();
        return;
      }
      if (status) status.textContent = button.dataset.copied;
    });
  }
});

// The plan's cells (an activity's status, a group's role in it): one listener
// for all of them, rather than htmx wiring each of what can be a thousand
// forms when the page starts. A change sends the cell's form through htmx,
// which swaps in the cell the server answers (or reloads the page when the
// server says another cell changed too). Without a script, each cell's "Set"
// button posts the form.
document.addEventListener("change", (event) => {
  const form = event.target.closest("form[data-cell-form]");
  if (!form || !window.htmx) return;
  window.htmx.ajax("POST", form.action, { source: form, target: form, swap: "outerHTML" });
});
