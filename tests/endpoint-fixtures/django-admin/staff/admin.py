from django.contrib import admin
from django.contrib.admin import AdminSite

from staff.models import Invoice, Note


class StaffSite(AdminSite):  # endpoint: protected GET,POST staff/
    site_header = "Staff"


class InvoiceAdmin(admin.ModelAdmin):
    list_display = ["number"]


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ["text"]


staff_site = StaffSite(name="staff")
staff_site.register(Invoice, InvoiceAdmin)
admin.site.register(Invoice, InvoiceAdmin)
