"""No input reaches a 500: every form of the registration, the portal, the back office,
the staff sign-in and the admin's sign-in, sent hostile values in any field.

The forms are not listed here: ``walk`` finds every page each kind of person reaches and
parses its forms. For each form, hypothesis sends what a person who takes the first
choices would send, with one or two fields replaced by something hostile: very long text
(256, 257, 10,000 characters), lone surrogates, NUL and other control characters, bidi
marks, emoji, white space only, numbers and dates of the wrong shape, several values for
one field, a missing field, bytes that are not UTF-8. Then:

- the answer is never a 5xx (an exception in a view fails the test where it is raised);
- a 422 shows the page again with an error summary (and the renderer puts each field's
  message next to it);
- an answer 4xx wrote nothing but what a refusal records (sessions, sign-in attempts,
  the audit log, attempt counters);
- whatever was written holds no control character (but the sign-in throttle's own log
  of the raw request).
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote_plus, urlsplit

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from . import walk

LONG = ["a" * 256, "a" * 257, "é" * 300, "x" * 10_000]
HOSTILE: list[str] = [
    *LONG,
    "\ud800", "a\udfffb",                               # lone surrogates
    "\x00", "a\x00b", "\x07\x1b[2J", "\x7f", "\x0b\x0c",  # NUL and control characters
    "\u202e\u200fabc", "\u2066x\u2069", "\ufeff",        # bidi marks, BOM
    "😀" * 70, "👩‍👩‍👧‍👦",                                   # emoji
    "   ", "\t\n\r", "\u00a0\u2003\u3000",                # white space only
    "-1", "0", "1e309", "NaN", "9" * 400, "2026-02-30", "00000000-0000-0000-0000-000000000000",
    "<script>alert(1)</script>", "' OR 1=1 --", "%00", "[]", "null", "../../etc/passwd",
]
MISSING = object()        # the field is not sent at all
NOT_UTF8 = b"\xff\xfe\xc3"  # bytes no text encodes to

# Tables a refused request may still write to: the session, sign-in throttling (axes per
# address, accounts_signinthrottle per name across addresses), the audit
# of what staff read, counters of wrong attempts (one-time codes, quotas), and blocks that
# repeated attempts earn (R-APT-11).
WRITES_ON_REFUSAL = re.compile(
    r"^(django_session|axes_\w+|accounts_signinthrottle|core_auditentry|accounts_onetimesecret|"
    r"scheduling_quotaattempt\w*|scheduling_channelblock|accounts_accountblock)$")
_WRITE = re.compile(r'^\s*(?:INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', re.IGNORECASE)
_SAVEPOINT = re.compile(r'^\s*(SAVEPOINT|ROLLBACK TO SAVEPOINT|RELEASE SAVEPOINT)\s+"?(\w+)"?',
                        re.IGNORECASE)


def committed_writes(statements: list[str]) -> list[tuple[str, str]]:
    """(table, statement) of the writes that outlived their savepoints (a service that
    refuses inside ``transaction.atomic`` rolls its writes back)."""
    writes: list[tuple[str, str]] = []
    marks: list[tuple[str, int]] = []
    for sql in statements:
        if m := _SAVEPOINT.match(sql):
            verb, name = m.group(1).upper(), m.group(2)
            if verb == "SAVEPOINT":
                marks.append((name, len(writes)))
            elif any(n == name for n, _i in marks):
                while marks and marks[-1][0] != name:
                    marks.pop()
                _name, start = marks.pop()
                if verb.startswith("ROLLBACK"):
                    del writes[start:]
        elif m := _WRITE.match(sql):
            writes.append((m.group(1).lower(), sql))
    return writes

# Sent in every field of every form, one field at a time, before the random examples.
EVERY_FIELD = ["a" * 256, "x" * 10_000, "\ud800", "a\x00b", "\u202e\u200fabc", "   "]

value = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40),
                  st.just(MISSING), st.just(NOT_UTF8),
                  st.lists(st.sampled_from([*HOSTILE[:8], "1", "yes"]), min_size=2,
                           max_size=3))


def _encode(pairs: list[tuple[str, object]]) -> bytes:
    out = []
    for key, v in pairs:
        raw = v if isinstance(v, bytes) else str(v).encode("utf-8", "surrogatepass")
        out.append(quote_plus(key) + "=" + quote_plus(raw))
    return "&".join(out).encode()


def _forms(w, role: str):
    """(page, form) for every form of the pages of ``role``, once per page and fields."""
    client = walk.client_for(role, w, language="es")
    seen = set()
    for page in walk.crawl(client, role, w.seeds[role]):
        for form in page.forms:
            key = (walk.walk_key(walk.form_target(page, form)), form.method,
                   tuple(form.names))
            if form.names and key not in seen:
                seen.add(key)
                yield page, form


def _problems_of_answer(r, writes: list[tuple[str, str]]) -> list[str]:
    problems = []
    if r.status_code >= 500:
        problems.append(f"answered {r.status_code}")
    if r.status_code == 422 and "govuk-error-summary" not in r.content.decode():
        problems.append("422 without an error summary")
    if r.status_code >= 400:
        half = sorted({t for t, _sql in writes if not WRITES_ON_REFUSAL.match(t)})
        if half:
            problems.append(f"refused ({r.status_code}) but wrote to {half}")
    for table, sql in writes:
        if table.startswith("axes_"):
            continue  # the throttle logs the raw request on purpose (NUL escaped by axes)
        bad = {hex(ord(c)) for c in sql if unicodedata.category(c) in ("Cc", "Cs")
               and c not in "\n"}
        if bad:
            problems.append(f"wrote control characters {sorted(bad)} to {table}")
    return problems


def _send(client, page, form, data: dict[str, object]):
    pairs: list[tuple[str, object]] = []
    for key, v in data.items():
        if v is MISSING:
            continue
        pairs.extend((key, item) for item in (v if isinstance(v, list) else [v]))
    target = walk.form_target(page, form)
    if form.method == "get":
        return client.get(f"{urlsplit(target).path}?{_encode(pairs).decode()}")
    return client.post(target, data=_encode(pairs),
                       content_type="application/x-www-form-urlencoded")


def _hammer(client, page, form, failures: dict[str, str]) -> None:
    names = form.names
    baseline = {k: (v if len(v) > 1 else v[0]) for k, v in form.baseline().items()}

    @settings(max_examples=10, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.dictionaries(st.sampled_from(names), value, min_size=1, max_size=2))
    def one(hostile):
        for cache in caches.all():  # rate limits would hide the form after a few tries
            cache.clear()
        # The log keeps 9,000 statements; past that, a capture would read the wrong ones.
        connection.queries_log.clear()
        with transaction.atomic():
            with CaptureQueriesContext(connection) as queries:
                r = _send(client, page, form, {**baseline, **hostile})
            writes = committed_writes([q["sql"] for q in queries.captured_queries])
            problems = _problems_of_answer(r, writes)
            transaction.set_rollback(True)
        assert not problems, problems

    for name in names:
        for hostile in (*EVERY_FIELD, MISSING):
            one = example({name: hostile})(one)
    try:
        one()
    except Exception as exc:
        failures[f"{form.method.upper()} {walk.form_target(page, form)}"] = (
            f"{type(exc).__name__}: {str(exc)[:600]}")


@pytest.mark.parametrize("role", walk.ROLES)
def test_no_hostile_value_in_any_field_of_any_form_reaches_a_500(walked_world, db, role):
    failures: dict[str, str] = {}
    forms = list(_forms(walked_world, role))
    assert forms
    for page, form in forms:
        client = walk.client_for(role, walked_world, language="es")
        _hammer(client, page, form, failures)
    for where, what in failures.items():
        print(f"FAIL {where}\n    {what}")
    assert failures == {}


def _channel_forms():
    import importlib
    import pkgutil

    from django import forms as django_forms

    import ventanilla.channels as channels

    for info in pkgutil.walk_packages(channels.__path__, "ventanilla.channels."):
        if info.name.endswith(".forms"):
            importlib.import_module(info.name)
    found, todo = [], [django_forms.BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("ventanilla.channels."):
                found.append(sub)
    return found


def test_every_text_field_of_every_channel_form_is_cleaned_and_bounded():
    """A person's text goes through TextField (clean_text, a max_length); only passwords
    are kept as typed, and bounded too."""
    from django import forms as django_forms

    from ventanilla.channels.staff.forms import StaffLoginForm
    from ventanilla.core.fields import TextField

    classes = _channel_forms()
    assert len(classes) > 40
    loose = []
    for cls in classes:
        fields = dict(cls.base_fields)
        if issubclass(cls, StaffLoginForm):
            fields |= StaffLoginForm().fields
        for name, f in fields.items():
            typed_as_is = (isinstance(f, django_forms.CharField)
                           and not isinstance(f, (TextField, django_forms.EmailField))
                           and not isinstance(f.widget, django_forms.PasswordInput))
            if typed_as_is:
                loose.append(f"{cls.__name__}.{name}")
            if isinstance(f, django_forms.CharField) and f.max_length is None:
                loose.append(f"{cls.__name__}.{name} (no max_length)")
    assert sorted(loose) == [], "\n".join(loose)
