import pytest
from .support import start_application, path_of

pytestmark = pytest.mark.browser

def test_smoke(new_page, a11y, make_application):
    make_application("EC", state="submitted")
    page = new_page()
    start_application(page, "EC", "x@example.com")
    print(page.title(), page.locator("html").get_attribute("lang"))
    a11y.check(page, "tasks")
    print(a11y.failures)
    print(page.browsing)
