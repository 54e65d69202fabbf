from django.contrib.auth.views import LoginView
from django.http import HttpResponse
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST


@require_GET
def home(request):  # endpoint: safe GET
    return HttpResponse("home")


@require_POST
def add_to_cart(request):  # endpoint: protected POST
    request.session["cart"] = request.POST["item"]
    return HttpResponse("added")


def pay_hook(request):  # endpoint: exempt ANY
    return HttpResponse("paid")


class ProfileView(View):  # endpoint: protected GET,POST
    def get(self, request):
        return HttpResponse("profile")

    def post(self, request):
        return HttpResponse("saved")


class SignIn(LoginView):  # endpoint: protected GET,POST
    template_name = "login.html"


class ExemptBase(View):
    @csrf_exempt
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)


class InboxView(ExemptBase):  # endpoint: exempt POST
    def post(self, request):
        return HttpResponse("received")
