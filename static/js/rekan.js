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
