from datetime import timedelta

from django.conf import settings
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ventanilla.core.admin_audit import AuditedAdmin
from ventanilla.core.audit import audit_record
from ventanilla.countries.registry import get_pack

from .models import (
    Booking,
    Centre,
    ChannelBlock,
    Doctor,
    Referral,
    Schedule,
    ScheduleException,
    Service,
    Slot,
    SlotAlert,
)
from .services import slots_generate


@admin.register(Centre)
class CentreAdmin(admin.ModelAdmin):
    list_display = ("name", "country", "kind", "subdivision_code", "is_active")
    list_filter = ("country", "kind", "is_active")
    search_fields = ("name", "code")


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("code", "label", "country", "kind", "level", "is_active")
    list_filter = ("country", "kind", "level", "is_active")
    search_fields = ("code", "name")


def _generate_label() -> str:
    days = settings.SLOTS_AHEAD_DAYS
    return ngettext("Generate slots for the next %(days)d day",
                    "Generate slots for the next %(days)d days", days) % {"days": days}


@admin.action(description=lazy(_generate_label, str)())
def generate_slots(modeladmin, request, queryset):
    """The schedules' slots over the same days ahead as the daily generation
    (``SLOTS_AHEAD_DAYS``)."""
    created = 0
    days = settings.SLOTS_AHEAD_DAYS
    for centre in Centre.objects.filter(pk__in=queryset.values("centre_id")):
        today = timezone.now().astimezone(get_pack(centre.country).tz).date()
        created += slots_generate(centre=centre, date_from=today,
                                  date_to=today + timedelta(days=days)).created
    modeladmin.message_user(request, ngettext("%(count)d slot created.",
                                              "%(count)d slots created.", created)
                            % {"count": created}, messages.SUCCESS)


@admin.register(Schedule)
class ScheduleAdmin(admin.ModelAdmin):
    list_display = ("centre", "service", "doctor", "weekday", "start_time", "end_time",
                    "slot_minutes", "capacity", "valid_from", "valid_until", "is_active")
    list_filter = ("centre__country", "weekday", "is_active", "service")
    search_fields = ("centre__name", "service__code", "doctor__family_names")
    list_select_related = ("centre", "service", "doctor")
    autocomplete_fields = ("doctor",)
    actions = [generate_slots]


@admin.register(ScheduleException)
class ScheduleExceptionAdmin(admin.ModelAdmin):
    list_display = ("centre", "service", "doctor", "starts_on", "ends_on", "reason")
    list_filter = ("centre__country",)
    search_fields = ("centre__name", "reason", "doctor__family_names")
    list_select_related = ("centre", "service", "doctor")
    autocomplete_fields = ("doctor",)
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
    list_display = ("starts_at", "centre", "service", "doctor", "capacity", "booked_count",
                    "is_open")
    list_filter = ("centre__country", "is_open", "service")
    search_fields = ("centre__name", "doctor__family_names")
    date_hierarchy = "starts_at"
    list_select_related = ("centre", "service", "doctor")


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin, AuditedAdmin):
    list_display = ("public_id", "slot", "booked_for", "status", "channel", "created_at")
    list_filter = ("status", "channel", "slot__centre__country")
    search_fields = ("booked_for__id_number", "booked_for__family_names")
    list_select_related = ("slot__centre", "slot__service", "booked_for")


@admin.register(Doctor)
class DoctorAdmin(admin.ModelAdmin):
    list_display = ("family_names", "given_names", "title", "country", "registration_code",
                    "is_active")
    list_filter = ("country", "is_active", "specialties")
    search_fields = ("family_names", "given_names", "registration_code")
    filter_horizontal = ("centres", "specialties")


@admin.register(Referral)
class ReferralAdmin(AuditedAdmin):
    """Referrals to second-level specialties (R-APT-08). Staff record and void them; the
    booking services mark them used and give them back."""

    list_display = ("person", "specialty", "issued_by", "issued_on", "expires_on", "status")
    list_filter = ("status", "specialty__country", "specialty")
    search_fields = ("person__id_number", "person__family_names", "issued_by")
    list_select_related = ("person", "specialty")
    autocomplete_fields = ("person", "doctor")
    readonly_fields = ("used_by",)

    def get_readonly_fields(self, request, obj=None):
        # a used referral belongs to its booking: only the services change it
        if obj is not None and obj.status == Referral.Status.USED:
            return ("person", "specialty", "status", "used_by")
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(actor=request.user, action="referral.change" if change else "referral.issue",
                     obj=obj, subject_ref=obj.person.subject_ref, channel="back_office",
                     details={"specialty": obj.specialty.code, "status": obj.status,
                              "expires_on": str(obj.expires_on)})


@admin.action(description=_("Lift the selected blocks"))
def lift_blocks(modeladmin, request, queryset):
    now = timezone.now()
    lifted = 0
    for block in queryset.filter(lifted_at=None):
        block.lifted_at = now
        block.lifted_by = request.user
        block.save(update_fields=["lifted_at", "lifted_by", "updated_at"])
        audit_record(actor=request.user, action="channel.unblock", obj=block,
                     subject_ref=block.person.subject_ref if block.person_id else "",
                     channel="back_office", details={"kind": block.kind})
        lifted += 1
    modeladmin.message_user(request, ngettext("%(count)d block lifted.",
                                              "%(count)d blocks lifted.", lifted)
                            % {"count": lifted}, messages.SUCCESS)


@admin.register(ChannelBlock)
class ChannelBlockAdmin(ReadOnlyAdmin, AuditedAdmin):
    """Channels blocked for exceeding the booking quotas (R-APT-11); staff can lift them."""

    list_display = ("kind", "key", "person", "channel", "until", "lifted_at", "created_at")
    list_filter = ("kind", "channel")
    search_fields = ("key", "person__id_number")
    list_select_related = ("person",)
    actions = [lift_blocks]

    def subject_ref(self, obj) -> str:
        return obj.person.subject_ref if obj.person_id else ""

    def has_change_permission(self, request, obj=None):
        # the action needs it; the change form itself shows the row read-only
        return obj is None and request.user.has_perm("scheduling.change_channelblock")


@admin.register(SlotAlert)
class SlotAlertAdmin(ReadOnlyAdmin, AuditedAdmin):
    """"Avisarme" requests (alerts.py): written by the person and the sender only."""

    list_display = ("created_at", "service", "place_code", "booked_for", "person",
                    "expires_at", "notified_at", "cancelled_at")
    list_filter = ("service__country", "service", "notified_at", "cancelled_at")
    search_fields = ("person__id_number", "booked_for__id_number", "place_code")
    list_select_related = ("service", "person", "booked_for")
