"""Accessibility checks for tests: axe-core in the browser, and what assistive tech reads in HTML."""

from functools import cache
from html.parser import HTMLParser
from pathlib import Path

AXE_JS = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"


@cache
def _axe_source() -> str:
    if not AXE_JS.exists():
        raise RuntimeError(f"{AXE_JS} is missing: run `npm ci` (make test does).")
    return AXE_JS.read_text()


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run axe over the page as loaded and return its violations of the given impacts.

    The source is evaluated, not added as a <script> tag: the CSP refuses inline scripts, and
    evaluate runs in the page without one.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    results = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "targets": [", ".join(map(str, node["target"])) for node in violation["nodes"]],
        }
        for violation in results["violations"]
        if violation["impact"] in impacts
    ]


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict]]:
    """Every start tag in the page, as (tag, attributes)."""
    parser = _Elements()
    parser.feed(html)
    return parser.elements


def describedby_ids_missing(html: str) -> set[str]:
    """Ids named by an aria-describedby that no element of the page has."""
    tags = elements(html)
    ids = {attrs["id"] for _, attrs in tags if attrs.get("id")}
    named = {name for _, attrs in tags for name in (attrs.get("aria-describedby") or "").split()}
    return named - ids
