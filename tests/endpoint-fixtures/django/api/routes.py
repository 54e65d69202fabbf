from rest_framework.routers import DefaultRouter

from api.views import ItemViewSet, TokenOnlyViewSet

router = DefaultRouter()
router.register(r"items", ItemViewSet)
router.register(r"tokens", TokenOnlyViewSet, basename="token")
