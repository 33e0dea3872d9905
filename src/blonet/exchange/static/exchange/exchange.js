// Exchange pages: live inbox polling that stops when the page is left idle (so that the idle
// session expiry still applies), and no-JS fallbacks hidden. No inline script (CSP).
(() => {
  let lastInput = Date.now();
  for (const name of ["keydown", "mousedown", "mousemove", "touchstart", "scroll"]) {
    document.addEventListener(name, () => { lastInput = Date.now(); }, { passive: true });
  }
  document.addEventListener("htmx:configRequest", (event) => {
    if (event.detail.verb === "get") {
      event.detail.parameters.idle = Math.floor((Date.now() - lastInput) / 1000);
    }
  });
  document.addEventListener("htmx:afterRequest", (event) => {
    const xhr = event.detail.xhr;
    if (xhr && xhr.status === 286) {
      const notice = document.getElementById("inbox-paused");
      if (notice) notice.classList.remove("d-none");
    }
  });
  document.addEventListener("DOMContentLoaded", () => {
    for (const el of document.querySelectorAll("[data-testid=compose-form] .js-hide-when-scripted")) {
      el.hidden = true;
    }
    // One click adds an office (counterpart, situation centre, regional centre) to "To".
    for (const button of document.querySelectorAll(".js-add-recipient")) {
      button.addEventListener("click", () => {
        const select = button.form && button.form.querySelector("select[name=recipients]");
        const option = select && select.querySelector(`option[value="${button.dataset.office}"]`);
        if (option) {
          option.selected = true;
          option.scrollIntoView({ block: "nearest" });
        }
      });
    }
  });
})();
