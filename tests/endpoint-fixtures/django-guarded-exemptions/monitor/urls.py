from django.urls import path

from monitor import views

urlpatterns = [
    path("api/probes/", views.create_probe),
    path("probes/pause/", views.pause_probe),
]
