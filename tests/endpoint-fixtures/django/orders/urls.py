from django.urls import path, re_path

from orders import views

urlpatterns = [
    path("<int:pk>/cancel/", views.cancel),
    re_path(r"^export/$", views.export),
]
