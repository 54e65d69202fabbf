from rest_framework import viewsets
from rest_framework.authentication import TokenAuthentication


class CatalogViewSet(viewsets.GenericViewSet):
    """The base of every catalog viewset: registered by none, so no endpoint."""

    prefix = None


class ShelfViewSet(CatalogViewSet, viewsets.mixins.ListModelMixin):  # endpoint: protected GET,POST
    prefix = "shelves"

    def create(self, request):
        return None


class ProductViewSet(viewsets.ModelViewSet):  # endpoint: protected GET,POST,PUT,PATCH,DELETE
    prefix = "products"


class FeedViewSet(viewsets.ViewSet):  # endpoint: exempt GET,POST
    prefix = "feeds"
    authentication_classes = [TokenAuthentication]

    def list(self, request):
        return None

    def create(self, request):
        return None
