from django.http import HttpResponse
from django.views.decorators.http import require_POST


@require_POST
def render_chart(request):  # endpoint: protected POST render/?$
    return HttpResponse(request.user.pk)


@require_POST
def shorten(request, path):  # endpoint: protected POST ^s/(?P<path>.*)
    return HttpResponse(request.user.pk)
