"""What journeys and page checks share: signing in and up, mails, and in-page measurements.

Selectors use the form field names and paths of the interface contract (PRODUCT.md), not
visible words, so the same journey works in German and English.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

NODE_MODULES = Path(__file__).resolve().parent / "node_modules"
AXE_SCRIPT = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MIN_TARGET_PX = 24  # WCAG 2.2, 2.5.8 Target Size (Minimum)

SUBMIT = "main form button[type=submit]"
SIGN_OUT = "header form[action='/auth/logout'] button"


def submit_form(page: Page) -> None:
    with page.expect_navigation():
        page.click(SUBMIT)


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    submit_form(page)
    assert is_signed_in(page), f"sign-in as {email} failed: {form_error_text(page)}"


def sign_up(page: Page, email: str, display_name: str, password: str) -> None:
    page.goto("/auth/register")
    page.fill("input[name=email]", email)
    page.fill("input[name=display_name]", display_name)
    page.fill("input[name=password]", password)
    submit_form(page)
    assert is_signed_in(page), f"sign-up of {email} failed: {form_error_text(page)}"


def open_site_menu(page: Page) -> None:
    """On a phone the header's links are behind the "Menu" button (templates/base.html): open it."""
    summary = page.locator("header details.site-menu > summary")
    if summary.is_visible() and page.get_attribute("header details.site-menu", "open") is None:
        summary.click()


def sign_out(page: Page) -> None:
    open_site_menu(page)
    with page.expect_navigation():
        page.click(SIGN_OUT)
    assert not is_signed_in(page)


def is_signed_in(page: Page) -> bool:
    return page.locator(SIGN_OUT).count() == 1


def form_error_text(page: Page) -> str:
    errors = page.locator(".form-errors, .error")
    return " | ".join(errors.all_inner_texts()) or f"no error shown on {page.url}"


def html_lang(page: Page) -> str:
    return page.get_attribute("html", "lang") or ""


# --- Measurements inside the page ---------------------------------------------------------


def axe_violations(page: Page, label: str = "") -> list[str]:
    """One line per violating element: page, rule, impact and the element's selector.

    The context must run axe: created with ``bypass_csp=True`` and axe added as an init
    script (see the ``new_context`` fixture's ``axe=True``).
    """
    result = page.evaluate(
        """tags => axe.run(document, {
               runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})""",
        AXE_TAGS,
    )
    where = f"{page.url} {label}".strip()
    return [
        f"{where}: {violation['id']} ({violation['impact']}): {violation['help']} -> "
        f"{' '.join(str(part) for part in node['target'])}"
        for violation in result["violations"]
        for node in violation["nodes"]
    ]


_OVERFLOW_SCRIPT = """() => {
  const root = document.documentElement;
  if (root.scrollWidth <= root.clientWidth) return null;
  const sticking = [];
  for (const element of document.body.querySelectorAll("*")) {
    if (element.getBoundingClientRect().right > root.clientWidth + 0.5) {
      const name = element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
        + [...element.classList].map(c => "." + c).join("");
      sticking.push(name);
      if (sticking.length === 5) break;
    }
  }
  return `scrollWidth ${root.scrollWidth} > clientWidth ${root.clientWidth}; too wide: ${sticking.join(", ")}`;
}"""


def horizontal_overflow(page: Page) -> str | None:
    """Why the page scrolls sideways, or None when it fits the viewport."""
    return page.evaluate(_OVERFLOW_SCRIPT)


_SMALL_TARGETS_SCRIPT = """minimum => {
  const controls = "a[href], button, input:not([type=hidden]), select, textarea, summary";
  const textBlocks = "p, li, td, dd, dt, figcaption, blockquote, label";
  // WCAG 2.5.8 exempts a link inside a sentence: its size is set by the line of text.
  const inRunningText = element => {
    if (element.tagName !== "A" || getComputedStyle(element).display !== "inline") return false;
    const block = element.parentElement && element.parentElement.closest(textBlocks);
    if (!block) return false;
    return block.textContent.replace(/\\s+/g, "").length > element.textContent.replace(/\\s+/g, "").length;
  };
  const describe = element => {
    const text = (element.textContent || element.getAttribute("aria-label") || element.name || "").trim();
    return element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
      + [...element.classList].map(c => "." + c).join("") + (text ? ` "${text.slice(0, 40)}"` : "");
  };
  const small = [];
  for (const element of document.querySelectorAll(controls)) {
    if (!element.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    const box = element.getBoundingClientRect();
    if (box.width >= minimum && box.height >= minimum) continue;
    if (inRunningText(element)) continue;
    small.push(`${describe(element)} is ${box.width.toFixed(1)}x${box.height.toFixed(1)} px`);
  }
  return small;
}"""


def small_tap_targets(page: Page) -> list[str]:
    """Visible controls smaller than 24x24 CSS px, links inside running text excepted."""
    return page.evaluate(_SMALL_TARGETS_SCRIPT, MIN_TARGET_PX)


def focus_is_visible(page: Page) -> bool:
    """The focused element shows an outline or a focus ring (box-shadow)."""
    return page.evaluate("""() => {
      const style = getComputedStyle(document.activeElement);
      const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
      return outline || style.boxShadow !== "none";
    }""")


_TEXT_OVERFLOW_SCRIPT = """() => {
  // Boxes whose own text runs past their edge: a long German or Ukrainian word in a tile, a
  // label wider than its button. Scrolling boxes (tables in .table-scroll) and deliberate
  // ellipses are fine; inline boxes have no width of their own to overflow.
  const found = [];
  for (const element of document.body.querySelectorAll("*")) {
    if (element.closest("svg")) continue;
    const ownText = [...element.childNodes].some(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    if (!ownText) continue;
    const style = getComputedStyle(element);
    if (style.display === "inline" || style.display === "contents" || style.display === "none") continue;
    if (["auto", "scroll"].includes(style.overflowX) || style.textOverflow === "ellipsis") continue;
    // clientWidth 1: visually hidden text for screen readers, clipped on purpose.
    if (element.scrollWidth > element.clientWidth + 1 && element.clientWidth > 1) {
      const name = element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
        + [...element.classList].map(c => "." + c).join("");
      found.push(`${name} "${element.textContent.trim().slice(0, 40)}" needs ${element.scrollWidth}px, has ${element.clientWidth}px`);
      if (found.length === 5) break;
    }
  }
  return found;
}"""


def text_overflowing_its_box(page: Page) -> list[str]:
    """Elements whose text is wider than their box (scrollWidth > clientWidth), scrolling boxes excepted."""
    return page.evaluate(_TEXT_OVERFLOW_SCRIPT)


_CHECKBOX_LABEL_SCRIPT = """() => {
  const apart = [];
  for (const box of document.querySelectorAll("input[type=checkbox], input[type=radio]")) {
    if (!box.checkVisibility()) continue;
    const label = (box.id && document.querySelector(`label[for="${CSS.escape(box.id)}"]`)) || box.closest("label");
    if (!label) continue;
    const line = label.getClientRects()[0];
    const own = box.getBoundingClientRect();
    if (!line) continue;
    const middle = own.top + own.height / 2;
    if (middle < line.top - 2 || middle > line.bottom + 2) {
      apart.push(`${box.name}=${box.value} "${label.textContent.trim().slice(0, 40)}"`);
    }
  }
  return apart;
}"""


def checkboxes_apart_from_their_labels(page: Page) -> list[str]:
    """Checkboxes and radio buttons whose label's first line is not on the box's own line."""
    return page.evaluate(_CHECKBOX_LABEL_SCRIPT)
