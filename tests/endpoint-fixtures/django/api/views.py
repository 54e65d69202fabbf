from rest_framework import viewsets
from rest_framework.authentication import TokenAuthentication
from rest_framework.response import Response


class ItemViewSet(viewsets.ModelViewSet):  # endpoint: protected GET,POST ; protected GET,PUT,PATCH,DELETE
    queryset = None


class TokenOnlyViewSet(viewsets.ViewSet):  # endpoint: exempt GET,POST
    authentication_classes = [TokenAuthentication]

    def list(self, request):
        return Response([])

    def create(self, request):
        return Response({})
