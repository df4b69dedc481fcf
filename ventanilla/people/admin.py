from django.contrib import admin

from .models import Person


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("family_names", "given_names", "country", "id_type", "registration_number")
    list_filter = ("country", "id_type")
    search_fields = ("id_number", "family_names", "registration_number")
