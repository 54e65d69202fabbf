from django.urls import path

from kiosk import views
from kiosk.tools import views as tool_views

urlpatterns = [
    path("rename/", views.rename),
    path("greeting/", tool_views.greeting),
]
