from rest_framework import mixins, viewsets
from rest_framework.authentication import TokenAuthentication
from rest_framework.decorators import action
from rest_framework.response import Response


class AccountViewSet(viewsets.GenericViewSet):
    @action(methods=["get"], detail=False)
    def profile(self, request):  # endpoint: safe GET api/account/profile/
        return Response({"name": request.user.username})


class JarViewSet(viewsets.ModelViewSet):  # endpoint: protected GET,POST api/jars/ ; protected GET,PUT,PATCH,DELETE api/jars/<pk>/
    queryset = None

    @action(detail=True, methods=["post"], url_path="refill-now")
    def refill(self, request, pk=None):  # endpoint: protected POST,DELETE api/jars/<pk>/refill-now/
        return Response({"refilled": pk})

    @refill.mapping.delete
    def cancel_refill(self, request, pk=None):
        return Response({"cancelled": pk})

    @action(detail=False)
    def empty(self, request):  # endpoint: safe GET api/jars/empty/
        return Response([])


class ShelfViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):  # endpoint: safe GET api/shelves/ ; protected DELETE api/shelves/<slug>/
    lookup_field = "slug"
    queryset = None

    @action(detail=True, methods=["put"])
    def label(self, request, slug=None):  # endpoint: protected PUT api/shelves/<slug>/label/
        return Response({"labelled": slug})

    def helper(self):
        return None


class BinViewSet(viewsets.ReadOnlyModelViewSet["Bin"]):  # endpoint: safe GET api/bins/ ; safe GET api/bins/<pk>/
    queryset = None


class CleanupViewSet(viewsets.ViewSet):  # endpoint: protected POST api/cleanup/
    def cleanup(self, request):
        return Response({"cleaned": True})


class StockViewSet(viewsets.ModelViewSet):  # endpoint: protected GET,POST api/stock/
    queryset = None


class CrateViewSet(viewsets.ModelViewSet):  # endpoint: protected GET,POST flat/crates ; protected GET,PUT,PATCH,DELETE flat/crates/<pk>
    queryset = None

    @action(detail=True, methods=["post"], authentication_classes=[TokenAuthentication])
    def seal(self, request, pk=None):  # endpoint: exempt POST flat/crates/<pk>/seal
        return Response({"sealed": pk})

    @action(detail=False, methods=["post"])
    def restock(self, request):  # endpoint: protected POST flat/crates/restock
        return Response({"restocked": True})
