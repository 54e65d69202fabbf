from functools import wraps

from django.http import HttpResponseForbidden


def members_only(view):
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return HttpResponseForbidden()
        return view(request, *args, **kwargs)

    return guarded
