from django.urls import re_path

from relay import views

urlpatterns = [
    re_path(r"^messages$", views.send_message),
]
