from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.views import View
from django.views.decorators.http import require_POST


@login_required
@require_POST
def add_entry(request):  # endpoint: protected POST entries/add/
    return HttpResponse(request.user.pk)


class BalanceView(LoginRequiredMixin, View):  # endpoint: safe GET balance/
    def get(self, request):
        return HttpResponse("0")


def rates(request):  # endpoint: protected ANY rates/
    return HttpResponse("1.0")
