import json
from functools import wraps

from django.http import JsonResponse

from monitor.models import Team


def api_key_required(view):
    """Finds the team by the API key of the request, in a header or in a JSON body."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        body = json.loads(request.body.decode()) if request.body else {}
        key = request.headers.get("X-Api-Key") or body.get("api_key", "")
        team = Team.objects.filter(api_key=key).first()
        if team is None:
            return JsonResponse({"error": "wrong api key"}, status=401)
        request.team = team
        return view(request, *args, **kwargs)

    return wrapper
