// Proposals: the support button updates in place. Without this file it is a plain form.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form.support-form")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = form.querySelector("button[type=submit]");
      button.disabled = true;
      try {
        const response = await fetch(form.action, {
          method: "POST",
          body: new FormData(form),
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        });
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        const result = await response.json();
        const box = form.closest(".support-box") || document;
        for (const counter of box.querySelectorAll("[data-support-count]")) {
          counter.dataset.supportCount = String(result.count);
          counter.textContent = String(result.count);
        }
        for (const label of box.querySelectorAll("[data-support-label]")) {
          label.textContent = result.label;
        }
        button.textContent = result.supported ? form.dataset.labelSupported : form.dataset.labelUnsupported;
        button.setAttribute("aria-pressed", result.supported ? "true" : "false");
        button.classList.toggle("button-secondary", result.supported);
        const status = box.querySelector(".support-status");
        if (status) {
          status.textContent = result.supported ? form.dataset.messageSupported : form.dataset.messageUnsupported;
        }
      } catch (_error) {
        form.submit(); // let the server answer the ordinary way (message, sign-in, …)
        return;
      } finally {
        button.disabled = false;
      }
    });
  }
});
