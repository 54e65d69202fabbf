from django.contrib.auth import views as auth_views
from django.urls import path

from tracker import views

urlpatterns = [
    path("issues/new/", views.new_issue),
    path("user/login/", auth_views.LoginView.as_view(template_name="tracker/login.html")),  # endpoint: protected GET,POST user/login/
    path("user/password-reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view()),  # endpoint: protected GET,POST user/password-reset/<uidb64>/<token>/
    path("user/password-reset/done/", auth_views.PasswordResetCompleteView.as_view()),  # endpoint: safe GET user/password-reset/done/
]
