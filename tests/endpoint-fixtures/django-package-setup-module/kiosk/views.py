from django.http import HttpResponse


def rename(request):  # endpoint: unprotected ANY rename/
    request.session["name"] = request.POST["name"]
    return HttpResponse()
