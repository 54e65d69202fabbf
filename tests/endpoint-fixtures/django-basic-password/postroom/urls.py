from django.urls import path

from postroom import views

urlpatterns = [
    path("rpc/", views.remote),
    path("rpc/member/", views.remote_as_member),
    path("sign-in/", views.sign_in),
]
