from datetime import timedelta

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ventanilla.core.admin_audit import AuditedAdmin
from ventanilla.countries.registry import get_pack

from .models import Booking, Centre, Schedule, ScheduleException, Service, Slot
from .services import slots_generate


@admin.register(Centre)
class CentreAdmin(admin.ModelAdmin):
    list_display = ("name", "country", "kind", "subdivision_code", "is_active")
    list_filter = ("country", "kind", "is_active")
    search_fields = ("name", "code")


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("code", "label", "country", "kind", "is_active")
    list_filter = ("country", "kind", "is_active")
    search_fields = ("code", "name")


@admin.action(description=_("Generate slots for the next 28 days"))
def generate_slots(modeladmin, request, queryset):
    created = 0
    for centre in Centre.objects.filter(pk__in=queryset.values("centre_id")):
        today = timezone.now().astimezone(get_pack(centre.country).tz).date()
        created += slots_generate(centre=centre, date_from=today,
                                  date_to=today + timedelta(days=28)).created
    modeladmin.message_user(request, ngettext("%(count)d slot created.",
                                              "%(count)d slots created.", created)
                            % {"count": created}, messages.SUCCESS)


@admin.register(Schedule)
class ScheduleAdmin(admin.ModelAdmin):
    list_display = ("centre", "service", "weekday", "start_time", "end_time", "slot_minutes",
                    "capacity", "valid_from", "valid_until", "is_active")
    list_filter = ("centre__country", "weekday", "is_active", "service")
    search_fields = ("centre__name", "service__code")
    list_select_related = ("centre", "service")
    actions = [generate_slots]


@admin.register(ScheduleException)
class ScheduleExceptionAdmin(admin.ModelAdmin):
    list_display = ("centre", "service", "starts_on", "ends_on", "reason")
    list_filter = ("centre__country",)
    search_fields = ("centre__name", "reason")
    list_select_related = ("centre", "service")
    exclude = ("created_by",)
    actions = [generate_slots]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by the services (they keep counters and locks right)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Slot)
class SlotAdmin(ReadOnlyAdmin):
    list_display = ("starts_at", "centre", "service", "capacity", "booked_count", "is_open")
    list_filter = ("centre__country", "is_open", "service")
    search_fields = ("centre__name",)
    date_hierarchy = "starts_at"
    list_select_related = ("centre", "service")


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin, AuditedAdmin):
    list_display = ("public_id", "slot", "booked_for", "status", "channel", "created_at")
    list_filter = ("status", "channel", "slot__centre__country")
    search_fields = ("booked_for__id_number", "booked_for__family_names")
    list_select_related = ("slot__centre", "slot__service", "booked_for")
