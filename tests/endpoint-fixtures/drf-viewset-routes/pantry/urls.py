from django.urls import include, path
from rest_framework.routers import DefaultRouter, SimpleRouter

from pantry.views import AccountViewSet, BinViewSet, CleanupViewSet, CrateViewSet, JarViewSet, ShelfViewSet, StockViewSet

router = DefaultRouter()
router.register(r"jars", JarViewSet)
router.register("shelves", ShelfViewSet)
router.register("bins", BinViewSet)

account_router = SimpleRouter()
account_router.register("", AccountViewSet, basename="account")

flat_router = DefaultRouter(trailing_slash=False)
flat_router.register("crates", CrateViewSet)

urlpatterns = [
    path("api/", include(router.urls)),
    path("api/account/", include(account_router.urls)),
    path("flat/", include(flat_router.urls)),
    path("api/cleanup/", CleanupViewSet.as_view({"post": "cleanup"})),
    path("api/stock/", StockViewSet.as_view(actions={"get": "list", "post": "create"})),
]
