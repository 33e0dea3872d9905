// blonet page behaviour (no inline scripts: the Content-Security-Policy forbids them).
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form.js-autosubmit")) {
    for (const button of form.querySelectorAll(".js-hide-when-scripted")) button.hidden = true;
    form.addEventListener("change", () => form.submit());
  }
});
