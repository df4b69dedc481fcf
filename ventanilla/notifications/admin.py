"""Staff see every outgoing message, what became of it, and send again what could not be
delivered. Read-only otherwise; every list and view is audited (recipients are personal)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ventanilla.core.admin_audit import AuditedAdmin

from .models import OutboundMessage
from .outbox import message_resend


@admin.action(description=_("Send the selected messages again"),
              permissions=["change"])
def resend(modeladmin, request, queryset):
    done = 0
    for message in queryset.filter(status__in=[OutboundMessage.Status.UNDELIVERABLE,
                                               OutboundMessage.Status.SKIPPED]):
        message_resend(message=message, actor=request.user)
        done += 1
    modeladmin.message_user(request, ngettext(
        "%(count)d message will be sent again.", "%(count)d messages will be sent again.",
        done) % {"count": done}, messages.SUCCESS if done else messages.WARNING)


@admin.register(OutboundMessage)
class OutboundMessageAdmin(AuditedAdmin):
    list_display = ("created_at", "kind", "channel", "to", "status", "attempts",
                    "next_attempt_at", "sent_at", "last_error")
    list_filter = ("status", "channel", "kind")
    search_fields = ("to", "kind", "public_id")
    date_hierarchy = "created_at"
    actions = [resend]
    readonly_fields = ("public_id", "created_at", "updated_at", "channel", "kind", "to",
                       "language", "status", "attempts", "next_attempt_at", "give_up_at",
                       "last_error", "sent_at", "provider_id", "subject", "key")
    exclude = ("params",)  # may hold one-time codes and links

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # The resend action needs "change"; the form itself is read-only.
        return request.user.has_perm("notifications.change_outboundmessage")
