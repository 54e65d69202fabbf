from django.http import HttpResponse
from django.views.decorators.http import require_GET, require_POST


@require_POST
def sign_in(request):  # endpoint: protected POST {prefix}staff/sign-in/
    return HttpResponse("signed in")


@require_GET
def status(request):  # endpoint: safe GET {prefix}status/
    return HttpResponse("ok")


@require_POST
def report(request, code):  # endpoint: protected POST v2/reports/<uuid:code>/
    return HttpResponse("stored")


@require_GET
def board(request):  # endpoint: safe GET boards/main/
    return HttpResponse("board")


@require_GET
def export(request, kind):  # endpoint: safe GET v2/export/{settings.EXPORT_FORMAT}/
    return HttpResponse("export")
