from django.urls import path

from beacon import views

urlpatterns = [path("status/", views.status)]
