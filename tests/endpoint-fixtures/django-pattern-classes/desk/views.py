from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET


@require_GET
def dashboard(request):  # endpoint: safe GET ^staff/$
    return HttpResponse("dashboard")


def archive_ticket(request, pk):  # endpoint: protected ANY ^staff/tickets/(?P<pk>\d+)/archive/$
    return HttpResponse(status=204)


@csrf_exempt
def set_language(request):  # endpoint: exempt ANY ^staff/set-language/$
    request.session["language"] = request.POST.get("language")
    return HttpResponse()
