from django.contrib import admin

from ventanilla.core.admin_audit import AuditedAdmin

from .models import Affiliation


@admin.register(Affiliation)
class AffiliationAdmin(AuditedAdmin):
    """Read-only here: affiliations open and end through the services (audited)."""

    list_display = ("number", "country", "affiliation_type", "person", "starts_on", "ends_on")
    list_filter = ("country", "affiliation_type")
    search_fields = ("number", "person__id_number", "person__family_names")

    def subject_ref(self, obj) -> str:
        return obj.person.subject_ref

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
