from django.db import transaction

from .models import Counter


def counter_next(name: str) -> int:
    """The next value of a gap-free sequence; the row lock serialises concurrent callers."""
    with transaction.atomic():
        Counter.objects.get_or_create(name=name)
        row = Counter.objects.select_for_update().get(name=name)
        row.value += 1
        row.save(update_fields=["value"])
        return row.value
