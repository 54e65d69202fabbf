from django.contrib import admin
from django.contrib.admin import AdminSite
from django.views.decorators.csrf import csrf_exempt

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


class KioskSite(AdminSite):  # endpoint: exempt GET,POST kiosk/
    """Served to a kiosk that cannot keep a CSRF cookie."""

    def admin_view(self, view, cacheable=False):
        return csrf_exempt(view)


class AuditSite(AdminSite):  # endpoint: protected GET,POST audit/
    def admin_view(self, view, cacheable=False):
        return super().admin_view(view, cacheable)


kiosk_site = KioskSite(name="kiosk")
audit_site = AuditSite(name="audit")


class LobbySite(AdminSite):  # endpoint: protected GET,POST lobby/
    def admin_view(self, view, cacheable=False):
        # Skips the base's csrf_protect: the views rely on CsrfViewMiddleware alone.
        return view


lobby_site = LobbySite(name="lobby")
