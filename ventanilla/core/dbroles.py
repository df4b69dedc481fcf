"""Two database roles on PostgreSQL: an owner that runs the migrations, and the application
role the service connects as, which may read and write every table but cannot change or
remove the audit log (UPDATE, DELETE and TRUNCATE on it are not granted), nor change the
schema. The audit trigger (core migration 0002) refuses UPDATE and DELETE even to the
owner's own statements; the privileges are what stop a TRUNCATE (docs/deploy.md).
"""

from __future__ import annotations

from django.db import connection

from .models import AuditEntry


def app_role_grant(role: str) -> list[str]:
    """Grant ``role`` what the service needs on the current database (run as the owner,
    after every migration: ``ventanilla db_grants <role>``, or automatically when
    DATABASE_APP_ROLE is set). Returns the statements run."""
    from psycopg import sql

    if connection.vendor != "postgresql":
        raise RuntimeError("database roles exist on PostgreSQL only")
    role_id = sql.Identifier(role)
    audit = sql.Identifier(AuditEntry._meta.db_table)
    statements = [
        sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(
            sql.Identifier(connection.settings_dict["NAME"]), role_id),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(role_id),
        sql.SQL("REVOKE CREATE ON SCHEMA public FROM {}").format(role_id),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}")
        .format(role_id),
        sql.SQL("REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM {}")
        .format(role_id),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(role_id),
        # the audit log: append and read only
        sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(audit, role_id),
        # tables and sequences the owner creates later (the next migrations)
        sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, "
                "DELETE ON TABLES TO {}").format(role_id),
        sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES "
                "TO {}").format(role_id),
    ]
    done = []
    with connection.cursor() as cursor:
        raw = cursor.connection
        for statement in statements:
            text = statement.as_string(raw)
            cursor.execute(text)
            done.append(text)
    return done
