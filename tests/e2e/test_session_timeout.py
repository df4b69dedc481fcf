"""UX guide: warn at least 2 minutes before the session ends, offer "Seguir conectado"."""

from __future__ import annotations

import pytest

from .support import PHONE, start_application

pytestmark = pytest.mark.browser


def test_session_warning_opens_and_stay_signed_in_keeps_the_session(new_page, settings,
                                                                      a11y):
    settings.SESSION_COOKIE_AGE = 123  # the warning opens 3 seconds after a page loads
    page = new_page(viewport=PHONE)
    start_application(page, "EC", "timeout@example.com")
    page.goto("/solicitud/")
    dialog = page.locator("#session-timeout")
    dialog.wait_for(state="visible", timeout=10_000)
    assert "Seguir conectado" in dialog.inner_text()
    a11y.check(page, "session timeout dialog")
    with page.expect_response("**/sesion/seguir/") as response:
        dialog.locator("button[type=submit]").click()
    assert response.value.status == 200
    dialog.wait_for(state="hidden", timeout=5_000)
    assert page.url.endswith("/solicitud/")  # the person stays where they were
    a11y.assert_clean()
