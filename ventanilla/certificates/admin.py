"""Certificates in the admin: read-only and audited (health data)."""

from __future__ import annotations

from django.contrib import admin

from ventanilla.core.admin_audit import AuditedAdmin

from .models import Certificate


@admin.register(Certificate)
class CertificateAdmin(AuditedAdmin):
    list_display = ("case", "country", "kind", "status", "rest_start", "rest_end", "due_on")
    list_filter = ("country", "kind", "status", "source")
    search_fields = ("case__reference",)
    # The diagnosis is not listed; the admin is for support, the desk is for validators.
    exclude = ("diagnosis", "icd10_code", "idempotency_key")
    readonly_fields = [f.name for f in Certificate._meta.fields
                       if f.name not in ("diagnosis", "icd10_code", "idempotency_key")]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
