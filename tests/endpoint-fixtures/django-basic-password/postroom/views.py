from django.contrib.auth import login
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from postroom.rpc import form_password_user, remote_calls


@csrf_exempt
@require_POST
def remote(request):  # endpoint: exempt POST rpc/
    return HttpResponse(remote_calls.handle(request))


@require_POST
def remote_as_member(request):  # endpoint: protected POST rpc/member/
    if not request.user.is_authenticated:
        return HttpResponse(status=403)
    return HttpResponse(remote_calls.handle(request))


@require_POST
def sign_in(request):  # endpoint: protected POST sign-in/
    login(request, form_password_user(request))
    return HttpResponse("welcome")
