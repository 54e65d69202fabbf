import json

from django.http import JsonResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from .models import Order


@method_decorator(csrf_exempt, name="dispatch")
class OrderApi(View):
    def post(self, request):
        payload = json.loads(request.body)
        order = Order.objects.create(user=request.user, items=payload["items"])
        return JsonResponse({"id": order.pk}, status=201)
