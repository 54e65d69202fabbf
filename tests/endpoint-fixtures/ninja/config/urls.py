from django.urls import path

from shop.api import api, legacy

urlpatterns = [
    path("api/", api.urls),
    path("legacy/", legacy.urls),
]
