from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from till.views import InvoiceView, ReceiptView, SettleView

urlpatterns = [
    path("invoices/<int:pk>/settle/", csrf_exempt(SettleView.as_view())),
    path("invoices/<int:pk>/", InvoiceView.as_view()),
    path("invoices/<int:pk>/receipt/", ReceiptView.as_view()),
]
