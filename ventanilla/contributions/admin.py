from django.contrib import admin

from .models import BasicSalary, ContributionRate


@admin.register(BasicSalary)
class BasicSalaryAdmin(admin.ModelAdmin):
    list_display = ("country", "year", "amount", "legal_source")
    list_filter = ("country",)


@admin.register(ContributionRate)
class ContributionRateAdmin(admin.ModelAdmin):
    list_display = ("country", "affiliation_type", "kind", "rate", "flat_amount", "base",
                    "valid_from", "valid_to", "legal_source")
    list_filter = ("country", "kind", "affiliation_type")
