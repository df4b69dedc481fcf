from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class VentanillaUserAdmin(UserAdmin):
    fieldsets = (*(UserAdmin.fieldsets or ()),
                 ("Ventanilla", {"fields": ("country", "centre", "language")}))
    list_display = ("username", "email", "country", "centre", "is_staff")
    list_filter = ("country", "is_staff", "groups")
