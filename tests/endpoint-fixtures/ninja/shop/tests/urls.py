from django.urls import path

from shop.reports import reports

urlpatterns = [
    path("reports/", reports.urls),
]
