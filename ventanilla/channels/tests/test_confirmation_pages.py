"""GOV.UK: a confirmation page (one with a confirmation panel) has no back link: going back
leads into a form that was already sent. Checked on every page of the walk, as every role."""

from __future__ import annotations

import pytest

from . import walk

pytestmark = pytest.mark.django_db

PANEL = "govuk-panel--confirmation"
BACK_LINK = 'class="govuk-back-link"'


def test_no_confirmation_page_has_a_back_link(walked_world, db):
    seen, offenders = set(), set()
    for role in walk.ROLES:
        client = walk.client_for(role, walked_world, language="es")
        for page in walk.crawl(client, role, walked_world.seeds[role]):
            if PANEL not in page.html:
                continue
            seen.add(page.url_name)
            if BACK_LINK in page.html:
                offenders.add(f"{role}: {page.url}")
    assert offenders == set()
    # the walk does reach the confirmation pages this test is about
    assert {"portal:visit", "staff:callcentre_booking"} <= seen, seen
