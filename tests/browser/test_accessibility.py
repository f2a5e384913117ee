"""axe-core, injected into the reader pages in both themes: no serious or critical violations."""

import pytest

from tests.browser.conftest import reader_urls

SERIOUS = {"serious", "critical"}


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[node['target'] for node in v['nodes']][:5]}" for v in violations
    )


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("page_name", ["home", "article", "category", "search"])
def test_reader_pages_have_no_serious_accessibility_violations(
    browser_page, reader_site, node_script, page_name, theme
):
    axe = node_script("axe-core/axe.min.js")
    browser_page.emulate_media(color_scheme=theme)
    browser_page.goto(reader_site + reader_urls()[page_name])
    # Evaluated through the DevTools protocol: the site's CSP forbids injected <script> tags.
    browser_page.evaluate(axe.read_text())
    results = browser_page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    serious = [v for v in results["violations"] if v["impact"] in SERIOUS]
    assert not serious, describe(serious)
