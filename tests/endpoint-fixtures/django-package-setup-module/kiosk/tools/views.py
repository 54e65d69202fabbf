from django.http import HttpResponse

from kiosk.tools.setup import default_greeting


# Served by the project's URL conf, under the project's settings (no CsrfViewMiddleware), whatever folder holds it.
def greeting(request):  # endpoint: unprotected ANY greeting/
    return HttpResponse(request.POST.get("text", default_greeting()))
