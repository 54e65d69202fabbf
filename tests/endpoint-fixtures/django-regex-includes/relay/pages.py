from django.urls import re_path

from relay import views

urlpatterns = [
    re_path(r"^relayers/register/$", views.register_relayer),
]
