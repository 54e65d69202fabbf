from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from rest_framework.decorators import api_view
from rest_framework.response import Response


@csrf_exempt
@require_POST
def cancel(request, pk):  # endpoint: exempt POST
    return HttpResponse("cancelled")


@api_view(["GET"])
def export(request):  # endpoint: safe GET
    return Response([])
