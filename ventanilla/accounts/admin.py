from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import SignInThrottle, User


@admin.register(User)
class VentanillaUserAdmin(UserAdmin):
    fieldsets = (*(UserAdmin.fieldsets or ()),
                 ("Ventanilla", {"fields": ("country", "centre", "language")}))
    list_display = ("username", "email", "country", "centre", "is_staff")
    list_filter = ("country", "is_staff", "groups")


@admin.register(SignInThrottle)
class SignInThrottleAdmin(admin.ModelAdmin):
    """Names with recent failed sign-ins; deleting a row unlocks it (a staff member locked
    out by failed attempts, say). Read-only otherwise."""

    list_display = ("username", "failures", "last_failure_at", "locked_until")
    search_fields = ("username",)
    readonly_fields = ("username", "failures", "window_started_at", "last_failure_at",
                       "locked_until", "notified_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        self.delete_queryset(request, SignInThrottle.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        from ventanilla.core.audit import audit_record

        for row in queryset:
            audit_record(actor=request.user, action="signin.unlock",
                         object_type="accounts.user", object_id=row.username,
                         channel="back_office")
        queryset.delete()
