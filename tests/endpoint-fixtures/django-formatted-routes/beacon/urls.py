from urllib.parse import urlparse

from django.conf import settings
from django.urls import include, path

from beacon import views

API_VERSION = "v2"
BOARD_ROOT = getattr(settings, "BEACON_BOARD_ROOT", "boards/")

prefix = ""
if site_path := urlparse(settings.SITE_ROOT).path.strip("/"):
    prefix = f"{site_path}/"


urlpatterns = [
    path(f"{prefix}staff/sign-in/", views.sign_in),
    path(prefix, include("beacon.status_urls")),
    path(f"{API_VERSION}/reports/<uuid:code>/", views.report),
    path(f"{BOARD_ROOT}main/", views.board),
    path(f"{API_VERSION}/export/{settings.EXPORT_FORMAT}/", views.export),
]
