from django.contrib import admin

from ventanilla.core.admin_audit import AuditedAdmin

from .models import Application, ApplicationDocument


class DocumentInline(admin.TabularInline):
    model = ApplicationDocument
    extra = 0
    can_delete = False
    fields = ("kind", "original_name", "content_type", "size", "status", "rejection_reason",
              "is_current", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(AuditedAdmin):
    """Read-only: decisions are taken in the back office, through the services."""

    list_display = ("case", "country", "family_names", "given_names", "status", "due_on")
    list_filter = ("country", "status", "channel")
    search_fields = ("case__reference", "id_number", "family_names")
    inlines = [DocumentInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
