from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView

from till.models import Invoice


# Its own dispatch runs for every method and never asks which: a payment provider's POST lands here.
class SettleView(DetailView):  # endpoint: exempt ANY invoices/<int:pk>/settle/
    model = Invoice

    def dispatch(self, request, *args, **kwargs):
        invoice = get_object_or_404(Invoice, pk=kwargs["pk"])
        invoice.settle(request.body)
        return redirect("/invoices/")


# The same shape, not exempted: every method reaches it, and the middleware checks the unsafe ones.
class InvoiceView(DetailView):  # endpoint: protected ANY invoices/<int:pk>/
    model = Invoice

    def dispatch(self, request, *args, **kwargs):
        self.object = get_object_or_404(Invoice, pk=kwargs["pk"])
        return self.render_to_response(self.get_context_data(object=self.object))


# Its dispatch prepares the request and hands it to Django's, which answers GET only.
class ReceiptView(DetailView):  # endpoint: safe GET invoices/<int:pk>/receipt/
    model = Invoice

    def dispatch(self, request, *args, **kwargs):
        self.printable = "print" in request.GET
        return super().dispatch(request, *args, **kwargs)
