from django.urls import include, path
from rest_framework import routers

from depot.discovery import plugin_viewsets


class Branch:
    def __init__(self, viewset):
        self.viewset = viewset

    def attach(self, router):
        router.register(self.viewset.prefix, self.viewset)
        return router


api_router = routers.DefaultRouter()
branches = [Branch(viewset) for viewset in plugin_viewsets()]
all_routers = [branch.attach(api_router) for branch in branches]

urlpatterns = []
for router in all_routers:
    urlpatterns.append(path("api/", include(router.urls)))
