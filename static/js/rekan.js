// Marks the page as scripted, so that buttons needed only without JavaScript
// (htmx submits those forms on change) can be hidden by the stylesheet.
document.documentElement.classList.add("js");
