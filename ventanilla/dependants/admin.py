from django.contrib import admin

from ventanilla.core.admin_audit import AuditedAdmin

from .models import DependantRequest


@admin.register(DependantRequest)
class DependantRequestAdmin(AuditedAdmin):
    """Read-only: requests are filed and decided through the services (audited)."""

    list_display = ("case", "country", "relationship", "family_names", "given_names",
                    "marriage_abroad", "status", "created_at")
    list_filter = ("country", "relationship", "status", "channel", "marriage_abroad")
    search_fields = ("case__reference", "id_number", "family_names",
                     "holder_affiliation__person__id_number")
    list_select_related = ("case",)

    def get_queryset(self, request):
        # Staff of one health system see only its requests.
        qs = super().get_queryset(request)
        country = getattr(request.user, "country", "") or ""
        return qs.filter(country=country) if country else qs

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
