"""E-mails are plain text: what a person or a reviewer typed arrives as typed, never
HTML-escaped (a reviewer's "O'Neill" or "<2 MB" was "O&#x27;Neill", "&lt;2 MB")."""

from __future__ import annotations

from types import SimpleNamespace

from ventanilla.notifications.messages import email_render


def test_an_email_is_rendered_without_html_escaping():
    application = SimpleNamespace(decision_reason='The "photo" of O\'Neill is <2 MB & blurred',
                                  given_names="Ana <b>")
    email = email_render("registration/email/application_rejected.txt",
                         application=application, reference="EC-7KQ29XW4P")
    assert email.subject == "Your application EC-7KQ29XW4P was not approved"
    assert email.body.startswith("Hello Ana <b>,\n")
    assert "Reason: The \"photo\" of O'Neill is <2 MB & blurred\n" in email.body
