from django.urls import include, re_path

urlpatterns = [
    re_path(r"^wiki/", include("pages.urls")),
]
