"""Django admin pages that show a person's data record every read in the audit log."""

from __future__ import annotations

from django.contrib import admin

from .audit import audit_record


class AuditedAdmin(admin.ModelAdmin):
    def subject_ref(self, obj) -> str:
        return getattr(obj, "subject_ref", "")

    def changelist_view(self, request, extra_context=None):
        audit_record(actor=request.user, action="admin.list",
                     object_type=self.model._meta.label_lower, object_id="*",
                     channel="back_office", details={"query": request.GET.urlencode()[:500]})
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None:
            audit_record(actor=request.user, action="admin.view", obj=obj,
                         subject_ref=self.subject_ref(obj), channel="back_office")
        return super().change_view(request, object_id, form_url, extra_context)
