from django.http import HttpResponse
from django.views.decorators.http import require_POST


@require_POST
def ping(request):  # endpoint: protected POST ping/
    return HttpResponse("pong")
