"""The audit log is append-only for real (PostgreSQL): the role the service connects as may
add and read audit entries but not change, delete or TRUNCATE them; it may still do all
its other work. Migrations run as the owner role (docs/deploy.md)."""

from __future__ import annotations

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from ventanilla.core.audit import audit_record

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROLE = "ventanilla_app_test"


@pytest.fixture
def app_role():
    if connection.vendor != "postgresql":
        pytest.skip("database roles exist on PostgreSQL (set DATABASE_URL)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [ROLE])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE ROLE {ROLE} LOGIN")
    call_command("db_grants", ROLE, stdout=open("/dev/null", "w"))  # noqa: SIM115
    params = connection.get_connection_params()
    conninfo = {k: v for k, v in params.items() if k in ("host", "port", "dbname")}
    with psycopg.connect(**conninfo, user=ROLE, autocommit=True) as conn:
        yield conn


def test_the_service_role_appends_and_reads_but_cannot_rewrite_the_audit_log(app_role):
    audit_record(actor=None, action="test.entry", object_type="test", object_id="1")
    app_role.execute("INSERT INTO core_auditentry (at, actor_label, action, object_type, "
                     "object_id, subject_ref, channel, user_agent, request_id, details) "
                     "VALUES (now(), 'app', 'test.insert', 't', '2', '', '', '', '', '{}')")
    assert app_role.execute("SELECT count(*) FROM core_auditentry").fetchone()[0] == 2
    for statement in ("UPDATE core_auditentry SET action = 'rewritten'",
                      "DELETE FROM core_auditentry",
                      "TRUNCATE core_auditentry",
                      "TRUNCATE core_auditentry CASCADE",
                      "ALTER TABLE core_auditentry DISABLE TRIGGER ALL",
                      "DROP TABLE core_auditentry"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            app_role.execute(statement)
    assert app_role.execute("SELECT count(*) FROM core_auditentry").fetchone()[0] == 2


def test_the_service_role_does_its_other_work(app_role, make_affiliate):
    person = make_affiliate()
    app_role.execute("UPDATE people_person SET email = 'new@example.com' WHERE id = %s",
                     [person.pk])
    app_role.execute("DELETE FROM django_session")
    app_role.execute("INSERT INTO core_counter (name, value) VALUES ('t', 1)")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        app_role.execute("CREATE TABLE intruder (id int)")
