from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from . import api, views

urlpatterns = [
    path("products/<int:product_id>/", views.product_page),
    path("cart/add/<int:product_id>/", views.add_to_cart),
    path("cart/coupon/", views.apply_coupon),
    path("api/orders/", api.OrderApi.as_view()),
    path("hooks/payments/", csrf_exempt(views.payment_webhook)),
]
