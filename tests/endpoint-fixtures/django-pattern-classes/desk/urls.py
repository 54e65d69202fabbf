from django.urls import include, re_path

urlpatterns = [
    re_path(r"^staff/", include("desk.staff_urls")),
]
