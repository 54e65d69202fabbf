from django.urls import path

from shop.api import api, legacy
from shop.old import old
from shop.public import urls as public_urls

urlpatterns = [
    path("api/", api.urls),
    path("legacy/", legacy.urls),
    path("public/", public_urls),
    path("old/", old.urls),
]
