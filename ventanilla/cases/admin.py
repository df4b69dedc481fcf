from django.contrib import admin

from ventanilla.core.admin_audit import AuditedAdmin

from .models import Case, CaseEvent


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    readonly_fields = ("at", "code", "status", "params", "actor", "channel", "public")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(AuditedAdmin):
    list_display = ("reference", "kind", "country", "status", "channel", "due_on", "created_at")
    list_filter = ("kind", "country", "status", "channel")
    search_fields = ("reference",)
    readonly_fields = [f.name for f in Case._meta.fields]
    inlines = [CaseEventInline]

    def subject_ref(self, obj) -> str:
        return f"{obj.country}:{obj.subject_id_type}:{obj.subject_id_number}"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
