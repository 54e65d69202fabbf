from django.contrib import admin
from django.urls import path

from backoffice import views
from staff.admin import staff_site

archive_site = admin.AdminSite(name="archive")

urlpatterns = [
    path("admin/", admin.site.urls),  # endpoint: protected GET,POST admin/
    path("staff/", staff_site.urls),
    path("archive/", archive_site.urls),  # endpoint: protected GET,POST archive/
    path("ping/", views.ping),
]
