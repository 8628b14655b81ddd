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


def sign_out(page: Page) -> None:
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
