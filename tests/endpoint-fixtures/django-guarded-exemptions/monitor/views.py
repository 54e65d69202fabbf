from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from monitor.store import probes


# Judged guarded (an API key in a header): no finding by default, and the row says why.
@csrf_exempt
@require_POST
def create_probe(request):  # endpoint: exempt POST api/probes/
    probes.create(request.headers.get("X-Api-Key"), request.POST["name"])
    return HttpResponse(status=201)


@csrf_exempt
@require_POST
def pause_probe(request):  # endpoint: exempt POST probes/pause/
    probes.pause(request.user, request.POST["id"])
    return HttpResponse()
