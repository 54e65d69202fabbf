from django.urls import path

from clinic import views

urlpatterns = [
    path("visits/<int:pk>/cancel/", views.cancel_visit),
    path("visits/<int:pk>/", views.VisitView.as_view()),
    path("visits/", views.visits),
]
