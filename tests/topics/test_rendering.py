from __future__ import annotations

from courseware.topics.rendering import render_markdown


def test_a_table_scrolls_in_its_own_labelled_focusable_region_and_an_empty_corner_is_not_a_header():
    html = render_markdown("| | Sync | Async |\n|---|---|---|\n| Retries | none | two |\n").html
    assert html.startswith('<div class="table-wrap" role="region" tabindex="0" aria-label="Table: Sync, Async">')
    assert "<th></th>" not in html and "<td></td>" in html
    assert html.rstrip().endswith("</table></div>")
