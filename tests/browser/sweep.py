"""Shared by the page sweeps: axe (serious and critical only) and sideways overflow of the page."""

from __future__ import annotations

OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > width + 1 && r.width > 0 && !el.closest('.table-wrap, pre, .codehilite')) {
      const cls = el.className ? '.' + String(el.className).split(' ')[0] : '';
      wide.push(el.tagName.toLowerCase() + cls + ' ' + Math.round(r.right));
    }
  }
  return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5)};
}"""


def page_report(page) -> list[str]:
    """Problems on the page as it is now: serious/critical axe violations and sideways scrolling."""
    from axe_playwright_python.sync_playwright import Axe

    problems = []
    results = Axe().run(page)
    for violation in results.response["violations"]:
        if violation["impact"] in ("serious", "critical"):
            targets = [str(node["target"]) for node in violation["nodes"][:3]]
            problems.append(f"axe {violation['id']} x{len(violation['nodes'])}: {targets}")
    overflow = page.evaluate(OVERFLOW_JS)
    if overflow["scroll"] > overflow["width"]:
        problems.append(f"page is {overflow['scroll']} px wide at {overflow['width']} px: {overflow['wide']}")
    return problems
