from django.contrib import admin
from django.urls import path

from backoffice import views
from staff.admin import audit_site, kiosk_site, lobby_site, staff_site

archive_site = admin.AdminSite(name="archive")

urlpatterns = [
    path("admin/", admin.site.urls),  # endpoint: protected GET,POST admin/
    path("staff/", staff_site.urls),
    path("archive/", archive_site.urls),  # endpoint: protected GET,POST archive/
    path("ping/", views.ping),
    path("kiosk/", kiosk_site.urls),
    path("audit/", audit_site.urls),
    path("lobby/", lobby_site.urls),
]
