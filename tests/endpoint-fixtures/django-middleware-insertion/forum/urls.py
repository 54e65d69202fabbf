from django.urls import path

from . import views

urlpatterns = [path("posts/<int:post>/hide", views.hide_post)]
