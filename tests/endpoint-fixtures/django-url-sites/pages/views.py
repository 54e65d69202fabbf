from django.http import HttpResponse
from django.views import View


class PageView(View):  # endpoint: safe GET ^(?P<slug>[a-z-]+)/$
    def get(self, request, slug):
        return HttpResponse(slug)


class EditView(View):  # endpoint: protected GET,POST ^(?P<page_id>[0-9]+)/edit/$
    def get(self, request, page_id):
        return HttpResponse("form")

    def post(self, request, page_id):
        return HttpResponse("saved")


class HomeView(View):  # endpoint: safe GET ^$
    def get(self, request):
        return HttpResponse("home")
