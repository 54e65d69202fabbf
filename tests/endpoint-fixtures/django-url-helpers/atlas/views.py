from django.http import HttpResponse
from django.views import View
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import TemplateView

from atlas.decorators import members_only


@require_GET
def health(request):  # endpoint: safe GET health/
    return HttpResponse("ok")


class Landing(TemplateView):  # endpoint: safe GET welcome/
    template_name = "landing.html"


landing = Landing.as_view()


class RenameMap(View):  # endpoint: protected POST maps/<int:pk>/rename/
    def post(self, request, pk):
        return HttpResponse("renamed")


@require_POST
def save_map(request, pk):  # endpoint: protected POST maps/<int:pk>/save/
    return HttpResponse("saved")


def import_hook(request, pk):  # endpoint: exempt ANY maps/<int:pk>/hook/
    return HttpResponse("imported")


class ShareMap(View):  # endpoint: protected POST maps/<int:pk>/share/
    def post(self, request, pk):
        return HttpResponse("shared")


share = members_only(ShareMap.as_view())


@require_GET
def feed(request):  # endpoint: safe GET feed/
    return HttpResponse("feed")


@require_POST
def mark_read(request):  # endpoint: protected POST feed/read/
    return HttpResponse("read")


@require_POST
def pin_map(request, pk):  # endpoint: protected POST …maps/(?P<pk>\d+)/pin/$
    return HttpResponse("pinned")


@require_POST
def star_map(request, pk):  # endpoint: protected POST ^maps/(?P<pk>\d+)/star/$
    return HttpResponse("starred")
