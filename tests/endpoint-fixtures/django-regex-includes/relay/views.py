from django.http import HttpResponse
from django.views.decorators.http import require_GET, require_POST


@require_POST
def register_relayer(request):  # endpoint: protected POST ^relayers/register/$
    return HttpResponse(request.user.pk)


@require_POST
def send_message(request):  # endpoint: protected POST ^api/v2/messages$
    return HttpResponse(request.user.pk)


@require_GET
def feed(request):  # endpoint: safe GET ^feeds/$
    return HttpResponse(request.user.pk)
