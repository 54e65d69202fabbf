from django.urls import re_path

from pages import sites

urlpatterns = [
    re_path(r"^", sites.site.urls),
]
