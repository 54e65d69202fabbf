from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView

from api.routes import router
from shop import views

urlpatterns = [
    path("", views.home),
    path("cart/add/", views.add_to_cart),
    path("hooks/pay/", csrf_exempt(views.pay_hook)),
    path("profile/", views.ProfileView.as_view()),
    path("login/", views.SignIn.as_view()),
    path("inbox/", views.InboxView.as_view()),
    path("about/", TemplateView.as_view(template_name="about.html")),
    path("orders/", include("orders.urls")),
    path("api/", include(router.urls)),
]
