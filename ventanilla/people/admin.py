from django.contrib import admin

from ventanilla.core.admin_audit import AuditedAdmin

from .models import Person


@admin.register(Person)
class PersonAdmin(AuditedAdmin):
    list_display = ("family_names", "given_names", "country", "id_type", "registration_number")
    list_filter = ("country", "id_type")
    search_fields = ("id_number", "family_names", "registration_number")
    readonly_fields = ("public_id", "registration_number", "registered_at", "verification_code")
