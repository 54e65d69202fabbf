from django.urls import path

from ledger import views

urlpatterns = [
    path("entries/add/", views.add_entry),
    path("balance/", views.BalanceView.as_view()),
    path("rates/", views.rates),
]
