from django.http import HttpResponse
from django.views.decorators.http import require_POST


@require_POST
def hide_post(request, post):  # endpoint: protected POST posts/<int:post>/hide
    request.user.hidden_posts.add(post)
    return HttpResponse(status=204)
