from django.db import models


class BookingReminder(models.Model):
    """A reminder sent for a booking on a channel: each booking is reminded once per channel,
    however often the daily job runs (R-APT-09)."""

    booking = models.ForeignKey("scheduling.Booking", on_delete=models.CASCADE,
                                related_name="reminders")
    channel = models.CharField(max_length=16)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["booking", "channel"],
                                               name="booking_reminded_once_per_channel")]

    def __str__(self) -> str:
        return f"{self.booking_id} {self.channel}"
