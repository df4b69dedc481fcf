"""The client's address behind the TLS proxy: X-Forwarded-For is believed only as far as the
trusted proxies wrote it (rate limits, lock-outs and the audit log key on it)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from ventanilla.core.middleware import client_ip


@pytest.mark.parametrize(("trusted", "remote", "forwarded", "expected"), [
    ([], "203.0.113.9", "198.51.100.1", "203.0.113.9"),             # no proxy: ignored
    (["127.0.0.1"], "127.0.0.1", "198.51.100.1", "198.51.100.1"),    # the proxy's word
    (["127.0.0.1"], "127.0.0.1", "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # forged first
    (["10.0.0.0/8"], "10.0.0.2", "198.51.100.1, 10.0.0.7", "198.51.100.1"),  # two proxies
    (["127.0.0.1"], "203.0.113.9", "198.51.100.1", "203.0.113.9"),  # not from the proxy
    (["127.0.0.1"], "127.0.0.1", "not-an-address", "127.0.0.1"),
    (["127.0.0.1"], "127.0.0.1", "", "127.0.0.1"),
], ids=["no-proxy", "proxy", "forged-hop", "two-proxies", "direct", "garbage", "empty"])
def test_client_ip_trusts_only_what_the_proxies_wrote(settings, trusted, remote, forwarded,
                                                      expected):
    settings.TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
