from django.urls import path

from monitor import views

urlpatterns = [
    path("api/probes/<int:probe_id>/pause", views.pause_probe),
    path("api/metrics/", views.export_metrics),
    path("probes/<int:probe_id>/pause", views.pause_mine),
]
