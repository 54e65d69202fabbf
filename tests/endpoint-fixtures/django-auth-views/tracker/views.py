from django.http import HttpResponse
from django.views.decorators.http import require_POST


@require_POST
def new_issue(request):  # endpoint: protected POST issues/new/
    return HttpResponse(request.user.pk)
