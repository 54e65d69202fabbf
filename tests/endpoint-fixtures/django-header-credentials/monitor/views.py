from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from monitor.decorators import api_key_required
from monitor.models import Probe


@csrf_exempt
@require_POST
@api_key_required
def pause_probe(request, probe_id):  # endpoint: exempt POST api/probes/<int:probe_id>/pause
    Probe.objects.filter(team=request.team, id=probe_id).update(paused=True)
    return JsonResponse({"paused": True})


@require_POST
def export_metrics(request):  # endpoint: protected POST api/metrics/
    if request.headers.get("X-Metrics-Key") != settings.METRICS_KEY:
        return HttpResponseForbidden()
    return HttpResponse(str(Probe.objects.count()))


@require_POST
@login_required
def pause_mine(request, probe_id):  # endpoint: protected POST probes/<int:probe_id>/pause
    Probe.objects.filter(team__members=request.user, id=probe_id).update(paused=True)
    return HttpResponse("paused")
