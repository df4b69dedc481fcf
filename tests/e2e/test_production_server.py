"""Issue 12, item 11: ``ventanilla serve``, the default server, runs as production does: DEBUG
off, the site's own error pages (never Django's debug page listing the URLs), and static files
hashed, pre-compressed and cached for a year."""

from __future__ import annotations

import re
import urllib.error
import urllib.request

import pytest

pytestmark = pytest.mark.browser


def get(url: str, **headers: str):
    request = urllib.request.Request(url, headers=headers)
    try:
        return urllib.request.urlopen(request, timeout=10)
    except urllib.error.HTTPError as error:
        return error


def test_a_missing_page_is_the_sites_404_in_the_persons_language(production_server):
    for language, title in (("es", "No se encontró la página"), ("en", "Page not found")):
        response = get(f"{production_server}/no-such-page/", **{"Accept-Language": language})
        body = response.read().decode()
        assert response.status == 404
        assert f"<title>{title} – Ventanilla</title>" in body
        assert f'<html lang="{language}"' in body
        assert "URLconf" not in body and "DEBUG = True" not in body


def test_static_files_are_hashed_compressed_and_cached_for_a_year(production_server):
    home = get(f"{production_server}/").read().decode()
    css = re.search(r'href="(/static/vendor/govuk-frontend/6\.6\.0/ventanilla\.min\.'
                    r'[0-9a-f]{12}\.css)"', home)
    js = re.search(r'src="(/static/js/init\.[0-9a-f]{12}\.js)"', home)
    assert css and js, "the page does not link hashed static files"
    for path in (css.group(1), js.group(1)):
        for encoding in ("br", "gzip"):
            response = get(f"{production_server}{path}", **{"Accept-Encoding": encoding})
            assert response.status == 200
            assert response.headers["Content-Encoding"] == encoding, path
            cache = response.headers["Cache-Control"]
            assert "immutable" in cache, cache
            assert int(re.search(r"max-age=(\d+)", cache).group(1)) >= 365 * 24 * 3600
