"""WCAG 1.4.10 Reflow: at 320 CSS pixels wide the pages scroll only vertically."""

from __future__ import annotations

import pytest

from .support import (
    NARROW,
    PEOPLE,
    QUESTIONS,
    answer,
    path_of,
    question_path,
    start_application,
    submit,
)

pytestmark = pytest.mark.browser

SCROLL_WIDTH = "document.documentElement.scrollWidth"


def test_question_pages_have_no_horizontal_scroll_at_320_px(new_page):
    person = PEOPLE["EC"]
    page = new_page(viewport=NARROW)
    start_application(page, "EC", "narrow@example.com")
    too_wide = []

    def measure(label: str) -> None:
        width = page.evaluate(SCROLL_WIDTH)
        if width > NARROW["width"]:
            too_wide.append(f"{label}: scrollWidth {width}px")

    measure("/solicitud/")
    for slug in QUESTIONS:
        page.goto(question_path(slug))
        measure(slug)
        if slug != "situacion":  # the only page where an empty answer is valid
            with page.expect_navigation(wait_until="load") as navigation:
                page.locator("main form[method=post] button[type=submit]").click()
            assert navigation.value.status == 422, slug
            measure(f"{slug} (error state)")
        answer(page, slug, person)
        submit(page)
    assert path_of(page) == "/solicitud/"
    assert not too_wide, "horizontal scroll at 320 px:\n" + "\n".join(too_wide)
