// Progressive enhancement only: every page works without this file.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the first form error so keyboard and screen-reader users land on it.
  const firstInvalid = document.querySelector("[aria-invalid='true']");
  if (firstInvalid) {
    firstInvalid.focus();
  }
  siteMenu(document.querySelector("details.site-menu"));
});

// The phone menu (templates/base.html) opens without JavaScript; with it, opening moves focus
// to the first link, and Escape closes the menu and returns focus to its button.
function siteMenu(menu) {
  if (!menu) {
    return;
  }
  const summary = menu.querySelector("summary");
  const phone = window.matchMedia("(max-width: 600px)");
  menu.addEventListener("toggle", () => {
    if (menu.open && phone.matches && menu.contains(document.activeElement)) {
      const first = menu.querySelector(".site-menu-panel a[href], .site-menu-panel button");
      if (first) {
        first.focus();
      }
    }
  });
  menu.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && menu.open && phone.matches) {
      menu.open = false;
      summary.focus();
    }
  });
  // A tap outside the open menu closes it, as Escape does.
  document.addEventListener("click", (event) => {
    if (menu.open && phone.matches && !menu.contains(event.target)) {
      menu.open = false;
    }
  });
  // Wide screens show the content through CSS (::details-content); where a browser lacks it,
  // the menu is opened there instead, and closed again when the window becomes phone-sized.
  if (!CSS.supports("selector(::details-content)")) {
    const fit = () => {
      menu.open = !phone.matches;
    };
    fit();
    phone.addEventListener("change", fit);
  }
}
